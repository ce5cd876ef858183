package dev.switchboard.server.chat;

import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseStream;

/**
 * Writes an answer as the pattern guide does: {@code data: {"text":"..."}} per chunk, then
 * {@code data: [DONE]}; a failure as {@code event: error} with {@code {code, message}}.
 */
final class SseChatSink implements ChatSink {
  private static final SseEvent DONE = SseEvent.data("[DONE]");

  private final SseStream stream;

  SseChatSink(SseStream stream) {
    this.stream = stream;
  }

  @Override
  public void text(String text) {
    stream.send(SseEvent.data(ChatJson.object("text", text)));
  }

  @Override
  public void done() {
    stream.send(DONE);
    stream.close();
  }

  @Override
  public void error(String code, String message) {
    stream.send(SseEvent.of("error", ChatJson.error(code, message)));
    stream.close();
  }
}
