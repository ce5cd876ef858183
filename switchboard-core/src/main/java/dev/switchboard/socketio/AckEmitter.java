package dev.switchboard.socketio;

import java.util.concurrent.CompletableFuture;

/** Emits an event and waits for the client's acknowledgement, within a timeout. */
@FunctionalInterface
public interface AckEmitter {
  /**
   * Emits {@code event}; the future completes with the acknowledgement's arguments, or fails
   * with {@link AckTimeoutException}, or with a {@link SocketIoException} coded
   * {@code DISCONNECTED} when the socket leaves first.
   */
  CompletableFuture<Args> emitWithAck(String event, Object... args);
}
