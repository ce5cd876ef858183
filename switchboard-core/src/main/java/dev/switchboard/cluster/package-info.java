/**
 * The cluster SPI: how a server hands broadcasts, server-side operations, presence and per-user
 * connection counts to other nodes. A single server uses none of it; a cluster backend (Redis)
 * implements {@link dev.switchboard.cluster.Cluster} and is given to
 * {@code SocketIoServer.create(options, cluster)}.
 */
package dev.switchboard.cluster;
