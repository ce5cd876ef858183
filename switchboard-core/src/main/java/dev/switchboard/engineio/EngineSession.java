package dev.switchboard.engineio;

import io.netty.util.concurrent.EventExecutor;

/**
 * One Engine.IO session: a client connection that outlives the polling requests and the
 * transport upgrade. All callbacks of a session run on its {@link #executor()}, one at a time.
 */
public interface EngineSession {

  /** The session id ({@code sid}). */
  String id();

  /** The transport in use now. */
  Transport transport();

  /** The handshake request. */
  EngineRequest request();

  /** The event loop that owns the session. */
  EventExecutor executor();

  /** Sends a text message. May be called from any thread. */
  void send(String text);

  /** Sends a binary message. May be called from any thread. */
  void send(byte[] data);

  /** Closes the session; the listener sees {@link CloseReason#FORCED_CLOSE}. */
  void close();

  boolean isOpen();

  /** Sets the listener; call it from the connection callback, before any message arrives. */
  void listener(Listener listener);

  /** Session events; every method has an empty default. */
  interface Listener {
    default void onMessage(EngineSession session, String text) {}

    default void onBinary(EngineSession session, byte[] data) {}

    default void onUpgrade(EngineSession session, Transport transport) {}

    default void onClose(EngineSession session, CloseReason reason, String description) {}
  }
}
