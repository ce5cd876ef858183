package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;

/** What an {@link SseConnection} reports; called on the connection's event loop. */
public interface SseListener {
  /** One event; the buffers are only valid during the call (see {@link SseReader.Events}). */
  default void onEvent(SseConnection connection, ByteBuf type, ByteBuf data) {}

  /** The stream ended, whoever ended it. */
  default void onClose(SseConnection connection) {}
}
