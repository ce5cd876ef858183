package dev.switchboard.server.chat;

/** Streams answers to chat requests. Implementations must not block the calling thread. */
public interface ChatModel extends AutoCloseable {
  /** Starts answering {@code request} into {@code sink}; the returned call cancels it. */
  ChatCall stream(ChatRequest request, ChatSink sink);

  @Override
  default void close() {}

  /** An answer being streamed. */
  @FunctionalInterface
  interface ChatCall {
    /** Stops the answer and releases what it holds upstream; no more sink calls follow. */
    void cancel();
  }
}
