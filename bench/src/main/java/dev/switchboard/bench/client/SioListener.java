package dev.switchboard.bench.client;

/** What a {@link SioConnection} reports; called on the connection's event loop. */
public interface SioListener {
  /**
   * The Socket.IO CONNECT packet sent once Engine.IO is open with the JSON parser: {@code 40}, or
   * {@code 40{...}} with an auth payload (a msgpack connection sends its own, without one).
   */
  default String connectPacket() {
    return "40";
  }

  /** A {@code 42[...]} event, as the raw Engine.IO text. */
  default void onEvent(SioConnection connection, String packet) {}

  /** A {@code 43<id>[...]} acknowledgement, as the raw Engine.IO text. */
  default void onAck(SioConnection connection, long ackId, String packet) {}

  /** The connection closed, whoever closed it. */
  default void onClose(SioConnection connection) {}

  SioListener NONE = new SioListener() {};
}
