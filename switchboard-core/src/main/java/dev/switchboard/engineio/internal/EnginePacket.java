package dev.switchboard.engineio.internal;

/**
 * An Engine.IO v4 packet as read from a client. Outbound packets are written straight to
 * bytes by {@link EngineCodec} and never materialise as objects.
 */
public sealed interface EnginePacket {

  /** {@code 1}: the client is closing the session. */
  record Close() implements EnginePacket {}

  /** {@code 2}: a ping, with {@code probe} as data during an upgrade. */
  record Ping(String data) implements EnginePacket {}

  /** {@code 3}: the answer to a server ping. */
  record Pong(String data) implements EnginePacket {}

  /** {@code 4}: a text message. */
  record TextMessage(String text) implements EnginePacket {}

  /** A binary message: a binary WebSocket frame, or {@code b<base64>} over polling. */
  record BinaryMessage(byte[] data) implements EnginePacket {}

  /** {@code 5}: completes an upgrade. */
  record Upgrade() implements EnginePacket {}

  /** {@code 6}: does nothing. */
  record Noop() implements EnginePacket {}

  Close CLOSE = new Close();
  Upgrade UPGRADE = new Upgrade();
  Noop NOOP = new Noop();
}
