package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.socketio.SocketIoServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code presence}, {@code presence_stats}, {@code history} and {@code history_remove}: what a room holds, on every node. */
final class RoomOperations {
  /** Messages a history answer holds when the call names no limit. */
  static final int DEFAULT_HISTORY_LIMIT = 50;
  /** Most messages one history answer holds. */
  static final int MAX_HISTORY_LIMIT = 500;

  private final SocketIoServer io;
  private final NodeReports reports;

  RoomOperations(SocketIoServer io, NodeReports reports) {
    this.io = io;
    this.reports = reports;
  }

  /** {@code presence {room}}: each member once, as {@code {id, ...public info}}. */
  CompletableFuture<Map<String, Object>> presence(JsonNode json) {
    String room = Params.of(json).room("room");
    return members(room).thenApply(members -> ApiJson.ok(Map.of("room", room, "members", members.stream().map(member -> {
      Map<String, Object> info = new LinkedHashMap<>(member.info());
      info.put("id", member.id());
      return info;
    }).toList())));
  }

  /** {@code presence_stats {room}}: how many members (users, or anonymous connections) and connections it has. */
  CompletableFuture<Map<String, Object>> presenceStats(JsonNode json) {
    String room = Params.of(json).room("room");
    CompletableFuture<NodeReports.Rooms> sizes = reports.rooms();
    return members(room).thenCombine(sizes, (members, rooms) -> {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("room", room);
      answer.put("users", members.size());
      answer.put("connections", rooms.sizes().getOrDefault(room, 0));
      if (rooms.partial()) {
        answer.put("partial", true);
      }
      return ApiJson.ok(answer);
    });
  }

  /** {@code history {room, since?, limit?}}: the messages kept after {@code since} (from the oldest kept without it). */
  CompletableFuture<Map<String, Object>> history(JsonNode json) {
    Params params = Params.of(json);
    String room = params.room("room");
    Optional<StreamPosition> since = params.optionalString("since", 100).map(text -> StreamPosition.parse(text)
        .orElseThrow(() -> ApiError.invalid("since must be a position \"epoch:offset\" as given by a previous answer")));
    int limit = params.integer("limit", DEFAULT_HISTORY_LIMIT, 1, MAX_HISTORY_LIMIT);
    CompletableFuture<HistoryPage> read = since.isEmpty() ? io.history(room, limit) : io.history(room, since.get(), limit);
    return read.handle((page, failure) -> {
      if (failure != null) {
        throw ApiError.unavailable("the history of " + room + " cannot be read now; try again");
      }
      return historyAnswer(room, page);
    });
  }

  /** {@code history_remove {room}}: forgets the room's messages; its next one starts a new epoch. */
  CompletableFuture<Map<String, Object>> historyRemove(JsonNode json) {
    String room = Params.of(json).room("room");
    return io.removeHistory(room).handle((done, failure) -> {
      if (failure != null) {
        throw ApiError.unavailable("the history of " + room + " cannot be removed now; try again");
      }
      return ApiJson.ok();
    });
  }

  private CompletableFuture<List<PresenceMember>> members(String room) {
    return io.presenceAsync(room).toCompletableFuture().handle((members, failure) -> {
      if (failure != null) {
        throw ApiError.unavailable("the presence of " + room + " cannot be read now; try again");
      }
      return members;
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
    answer.put("room", room);
    answer.put("messages", messages);
    answer.put("head", page.head().toString());
    answer.put("gap", page.gap());
    answer.put("more", page.more());
    return ApiJson.ok(answer);
  }
}
