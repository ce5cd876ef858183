/**
 * The server half of the official Socket.IO Admin UI ({@code @socket.io/admin-ui}): an admin
 * namespace with its login, server stats from every node every two seconds, in development mode the
 * live list of sockets, rooms and events, and the UI's actions (join, leave, disconnect, emit) on
 * sockets of any node. Start it with {@link AdminUi#instrument}.
 */
package dev.switchboard.admin;
