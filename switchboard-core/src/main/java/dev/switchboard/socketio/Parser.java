package dev.switchboard.socketio;

/**
 * The wire format of Socket.IO packets, chosen per server as Node's {@code parser} option: every
 * client of the server must use the same one.
 */
public enum Parser {
  /** Socket.IO's own text format ({@code socket.io-parser}), binary values as attachments; the default. */
  JSON,
  /**
   * {@code socket.io-msgpack-parser}: each packet one binary Engine.IO message, a msgpack map
   * {@code {type, data, nsp, id}} with binary values inline.
   */
  MSGPACK
}
