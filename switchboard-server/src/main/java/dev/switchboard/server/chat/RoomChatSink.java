package dev.switchboard.server.chat;

import java.util.Map;

/**
 * Passes an answer on to the requesting client and also publishes it to the conversation's room
 * {@code chat:{conversationId}}: {@code chat:delta {conversationId, text}} per chunk, then
 * {@code chat:done} or {@code chat:error}. With room history on, a second tab or a stream that
 * dropped resumes mid-answer from its last event id.
 */
final class RoomChatSink implements ChatSink {
  static final String DELTA_EVENT = "chat:delta";
  static final String DONE_EVENT = "chat:done";
  static final String ERROR_EVENT = "chat:error";

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
    this.room = ChatRoute.room(conversationId);
  }

  @Override
  public void text(String text) {
    publisher.publish(room, DELTA_EVENT, Map.of("conversationId", conversationId, "text", text));
    client.text(text);
  }

  @Override
  public void done() {
    publisher.publish(room, DONE_EVENT, Map.of("conversationId", conversationId));
    client.done();
  }

  @Override
  public void error(String code, String message) {
    publisher.publish(room, ERROR_EVENT, Map.of("conversationId", conversationId, "code", code, "message", message));
    client.error(code, message);
  }
}
