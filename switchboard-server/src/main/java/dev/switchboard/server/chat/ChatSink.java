package dev.switchboard.server.chat;

/**
 * Receives one streamed answer: any number of {@link #text} calls, then exactly one of
 * {@link #done} or {@link #error}. Calls come one at a time, from any thread.
 */
public interface ChatSink {
  void text(String text);

  void done();

  /** The answer failed; {@code code} is one of the {@code UPSTREAM_*} codes. */
  void error(String code, String message);
}
