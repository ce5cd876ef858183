package dev.switchboard.server.chat;

import java.util.Map;

/**
 * Passes an answer on to the requesting client and also publishes it to the conversation's room
 * {@code chat:{conversationId}}: {@code chat:delta {conversationId, text}} per chunk, then
 * {@code chat:done} or {@code chat:error}. With room history on, a second tab or a stream that
 * dropped resumes mid-answer from its last event id.
 */
final class RoomChatSink implements ChatSink {
  /** Publishes {@code event(data)} to a room, as {@code io.to(room).emit(event, data)}. */
  @FunctionalInterface
  interface RoomPublisher {
    void publish(String room, String event, Object data);
  }

  private final ChatSink client;
  private final RoomPublisher publisher;
  private final String conversationId;
  private final String room;

  RoomChatSink(ChatSink client, RoomPublisher publisher, String conversationId) {
    this.client = client;
    this.publisher = publisher;
    this.conversationId = conversationId;
    this.room = "chat:" + conversationId;
  }

  @Override
  public void text(String text) {
    publisher.publish(room, "chat:delta", Map.of("conversationId", conversationId, "text", text));
    client.text(text);
  }

  @Override
  public void done() {
    publisher.publish(room, "chat:done", Map.of("conversationId", conversationId));
    client.done();
  }

  @Override
  public void error(String code, String message) {
    publisher.publish(room, "chat:error", Map.of("conversationId", conversationId, "code", code, "message", message));
    client.error(code, message);
  }
}
