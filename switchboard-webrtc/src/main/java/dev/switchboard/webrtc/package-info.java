/**
 * WebRTC calls on Switchboard: the signaling relay ({@code webrtc:offer}, {@code webrtc:answer},
 * {@code webrtc:ice-candidate}) between users who share a call room, time-limited TURN credentials
 * in coturn's shared-secret scheme, short-lived SFU access tokens and recording consent. Media never
 * passes through Switchboard.
 */
package dev.switchboard.webrtc;
