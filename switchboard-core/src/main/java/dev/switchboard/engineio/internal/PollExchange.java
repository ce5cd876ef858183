package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Where the answer to one polling request goes: the HTTP exchange on this node
 * ({@link LocalPoll}), or the node that received the request and forwarded it here
 * ({@link RelayedPoll}). A session answers both the same way.
 */
interface PollExchange {
  /** When the request reached this node, as {@link System#nanoTime()}. */
  long arrivedAt();

  /** The allocator for the answer's body. */
  ByteBufAllocator alloc();

  /** Answers with {@code body}, whose ownership passes to this call. */
  void respond(HttpResponseStatus status, CharSequence contentType, ByteBuf body);

  /** Answers with one of the protocol's errors. */
  void respondError(EngineError error);

  /**
   * Runs {@code onGone} (on any thread) if the client goes away before the answer; replaces an
   * earlier one, and null stops watching.
   */
  void watchClient(Runnable onGone);
}
