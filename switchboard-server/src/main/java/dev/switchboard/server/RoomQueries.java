package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code presence:list {room, after?, limit?}} and {@code history {room, since?, limit?}}: what members may ask about their rooms. */
final class RoomQueries {
  private static final int DEFAULT_HISTORY_LIMIT = 50;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private RoomQueries() {}

  /**
   * Answers a page of the room's members, each as its public info and {@code id}, in the order of
   * their ids: at most {@code limit} ({@link BuiltInEvents#MAX_PRESENCE_PAGE} without one) after
   * the id {@code after}, with {@code next} (the last id given) when more follow.
   */
  static CompletableFuture<?> presence(SocketIoServer io, Socket socket, Event event) {
    Optional<String> member = RoomRequests.memberRoom(socket, event);
    if (member.isEmpty()) {
      return DONE;
    }
    String room = member.get();
    JsonNode request = event.args().get(0);
    JsonNode afterNode = request.get("after");
    if (afterNode != null && !afterNode.isNull() && !afterNode.isTextual()) {
      event.ack(Answers.error("INVALID_REQUEST", "after must be the next of a previous answer"));
      return DONE;
    }
    Optional<String> after = afterNode == null || afterNode.isNull() ? Optional.empty() : Optional.of(afterNode.textValue());
    JsonNode limitNode = request.get("limit");
    int limit = limitNode == null || limitNode.isNull() ? BuiltInEvents.MAX_PRESENCE_PAGE
        : limitNode.canConvertToInt() && limitNode.isIntegralNumber() ? limitNode.intValue() : -1;
    if (limit < 1 || limit > BuiltInEvents.MAX_PRESENCE_PAGE) {
      event.ack(Answers.error("INVALID_REQUEST", "limit must be 1 to " + BuiltInEvents.MAX_PRESENCE_PAGE));
      return DONE;
    }
    return io.presenceAsync(room).handle((found, failure) -> {
      if (failure != null) {
        event.ack(Answers.error("UNAVAILABLE", "the presence of " + room + " cannot be read now; try again"));
        return null;
      }
      event.ack(presenceAnswer(room, PresencePage.of(found, after, limit)));
      return null;
    }).toCompletableFuture();
  }

  private static Map<String, Object> presenceAnswer(String room, PresencePage page) {
    List<Map<String, Object>> members = page.members().stream().map(who -> {
      Map<String, Object> info = new LinkedHashMap<>(who.info());
      info.put("id", who.id());
      return info;
    }).toList();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ok", true);
    answer.put("room", room);
    answer.put("members", members);
    page.next().ifPresent(next -> answer.put("next", next));
    return answer;
  }

  /** Answers the messages kept after {@code since} (from the oldest kept without it), at most {@code limit}. */
  static CompletableFuture<?> history(SocketIoServer io, Socket socket, Event event) {
    Optional<String> member = RoomRequests.memberRoom(socket, event);
    if (member.isEmpty()) {
      return DONE;
    }
    String room = member.get();
    JsonNode request = event.args().get(0);
    Optional<StreamPosition> since = Optional.empty();
    JsonNode sinceNode = request.get("since");
    if (sinceNode != null && !sinceNode.isNull()) {
      since = sinceNode.isTextual() ? StreamPosition.parse(sinceNode.textValue()) : Optional.empty();
      if (since.isEmpty()) {
        event.ack(Answers.error("INVALID_REQUEST", "since must be a position \"epoch:offset\" as given by a previous answer"));
        return DONE;
      }
    }
    JsonNode limitNode = request.get("limit");
    int limit = limitNode != null && limitNode.canConvertToInt() ? limitNode.intValue() : DEFAULT_HISTORY_LIMIT;
    if (limit < 1 || limit > BuiltInEvents.MAX_HISTORY_LIMIT) {
      event.ack(Answers.error("INVALID_REQUEST", "limit must be 1 to " + BuiltInEvents.MAX_HISTORY_LIMIT));
      return DONE;
    }
    CompletableFuture<HistoryPage> read = since.isEmpty() ? io.history(room, limit) : io.history(room, since.get(), limit);
    return read.handle((page, failure) -> {
      if (failure != null) {
        event.ack(Answers.error("UNAVAILABLE", "the history of " + room + " cannot be read now; try again"));
      } else {
        event.ack(historyAnswer(room, page));
      }
      return null;
    });
  }

  private static Map<String, Object> historyAnswer(String room, HistoryPage page) {
    List<Map<String, Object>> messages = page.entries().stream().map(entry -> {
      Map<String, Object> message = new LinkedHashMap<>();
      message.put("event", entry.event());
      JsonNode args = entry.arguments();
      message.put("data", args.isEmpty() ? null : args.get(0));
      message.put("position", entry.position().toString());
      message.put("timestamp", entry.timestampMillis());
      return message;
    }).toList();
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ok", true);
    answer.put("room", room);
    answer.put("messages", messages);
    answer.put("head", page.head().toString());
    answer.put("gap", page.gap());
    answer.put("more", page.more());
    return answer;
  }
}
