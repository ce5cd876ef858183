package dev.switchboard.sse;

import dev.switchboard.http.HttpExchange;
import dev.switchboard.sse.internal.ChannelSseStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

/**
 * A {@code text/event-stream} response that stays open. Every method is safe to call from any
 * thread. The connection is closed when the stream ends; it is never reused for another request.
 *
 * <p>To send one event to many streams, encode it once and share the bytes:
 * <pre>{@code
 * ByteBuf bytes = SseEncoder.encode(event, ByteBufAllocator.DEFAULT);
 * try { streams.forEach(s -> s.sendShared(bytes)); } finally { bytes.release(); }
 * }</pre>
 */
public interface SseStream {
  /**
   * Answers {@code exchange} with a stream; call it while the route's {@code handle} runs. Sends
   * the headers and the {@code retry:} hint at once and starts the heartbeat.
   */
  static SseStream open(HttpExchange exchange, SseOptions options) {
    return ChannelSseStream.open(exchange, options);
  }

  /** Opens a stream with {@link SseOptions#DEFAULTS}. */
  static SseStream open(HttpExchange exchange) {
    return open(exchange, SseOptions.DEFAULTS);
  }

  /**
   * Queues {@code event}. Returns false when the stream is closed, or when the event would take
   * the bytes waiting for the client past the budget: then the stream is closed as too slow.
   */
  boolean send(SseEvent event);

  /**
   * Queues bytes made by {@link SseEncoder}. The caller keeps its reference: the stream takes a
   * retained duplicate, so one buffer can go to many streams. Returns false as {@link #send} does.
   */
  boolean sendShared(ByteBuf encoded);

  /** Sends a comment line ({@code : text}), which clients ignore. */
  boolean comment(String text);

  /**
   * Runs {@code listener} once when the stream ends, however it ends (client gone, network
   * error, slow client cut, {@link #close}); at once when it has already ended. Listeners run on
   * the stream's event loop and must not block.
   */
  void onClose(Runnable listener);

  /** Ends the stream after the bytes already queued, then closes the connection. */
  void close();

  boolean isOpen();

  /** Bytes queued but not yet written to the network. */
  long pendingBytes();

  /** The event loop the stream's I/O runs on; handy for scheduling work next to it. */
  EventExecutor executor();

  /** The allocator to encode events for this stream with. */
  ByteBufAllocator alloc();
}
