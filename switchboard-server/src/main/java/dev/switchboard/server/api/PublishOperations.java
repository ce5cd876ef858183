package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.server.messages.Dedupe;
import dev.switchboard.server.messages.PublishRules;
import dev.switchboard.socketio.SocketIoServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code publish} and {@code broadcast}: a backend's message into rooms, sent as
 * {@code event(data, meta)} the way a member's {@code room:publish} is, with the same message ids:
 * an {@code id} seen within the de-duplication window (from either, on any node) is answered
 * {@code duplicate: true} and not sent again, so a retried call never delivers twice.
 */
final class PublishOperations {
  private final SocketIoServer io;
  private final Dedupe dedupe;
  private final Set<String> reserved;

  PublishOperations(SocketIoServer io, Dedupe dedupe, Set<String> reserved) {
    this.io = io;
    this.dedupe = dedupe;
    this.reserved = reserved;
  }

  /**
   * {@code publish {room | rooms | user | users, event, data?, id?}}: one room is sent to and
   * answered with the message's position when the room keeps history; several are sent to as one
   * broadcast, each recipient once, meta naming them as {@code rooms}.
   */
  CompletableFuture<Map<String, Object>> publish(JsonNode json) {
    Params params = Params.of(json);
    List<String> rooms = params.targets(false);
    Message message = message(params);
    if (rooms.size() == 1) {
      return once(rooms.get(0), message.id(), () -> sendToRoom(rooms.get(0), message));
    }
    String key = "\u0000rooms\u0000" + String.join("\u0000", rooms.stream().sorted().toList());
    return once(key, message.id(), () -> {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("rooms", rooms);
      message.id().ifPresent(id -> meta.put("id", id));
      io.to(rooms.toArray(String[]::new)).emit(message.event(), message.data(), meta);
      return CompletableFuture.completedFuture(ApiJson.ok());
    });
  }

  /**
   * {@code broadcast {rooms | users, event, data?, id?}}: the message published to each room on its
   * own (kept in each room's history, de-duplicated per room), answered per room in order.
   */
  CompletableFuture<Map<String, Object>> broadcast(JsonNode json) {
    Params params = Params.of(json);
    if (params.has("room") || params.has("user")) {
      throw ApiError.invalid("broadcast takes rooms or users; publish takes a single room or user");
    }
    List<String> rooms = params.targets(false);
    Message message = message(params);
    List<CompletableFuture<Map<String, Object>>> each = new ArrayList<>();
    for (String room : rooms) {
      each.add(once(room, message.id(), () -> sendToRoom(room, message)).handle((answer, failure) -> {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("room", room);
        result.putAll(failure == null ? answer : ApiJson.error(Operations.asApiError(failure)));
        return result;
      }));
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(done -> ApiJson.ok(Map.of("results", each.stream().map(CompletableFuture::join).toList())));
  }

  private record Message(String event, JsonNode data, Optional<String> id) {}

  private Message message(Params params) {
    String event = params.string("event", PublishRules.MAX_EVENT_LENGTH);
    PublishRules.checkEvent(event, reserved).ifPresent(problem -> {
      throw ApiError.invalid(problem.code(), problem.message());
    });
    Optional<String> id = params.optionalString("id", PublishRules.MAX_MESSAGE_ID_LENGTH);
    return new Message(event, params.any("data"), id);
  }

  /** Runs {@code send} unless message {@code id} was already seen for {@code key}. */
  private CompletableFuture<Map<String, Object>> once(String key, Optional<String> id,
      Supplier<CompletableFuture<Map<String, Object>>> send) {
    if (id.isEmpty()) {
      return send.get();
    }
    return dedupe.firstTime(Dedupe.key(key, id.get()))
        .thenCompose(first -> first ? send.get() : CompletableFuture.completedFuture(ApiJson.ok(Map.of("duplicate", true))));
  }

  /** Sends as {@code room:publish} does: {@code event(data, {room, id?})}, kept where the room keeps history. */
  private CompletableFuture<Map<String, Object>> sendToRoom(String room, Message message) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("room", room);
    message.id().ifPresent(id -> meta.put("id", id));
    return io.to(room).emitWithPosition(message.event(), message.data(), meta).thenApply(PublishOperations::published);
  }

  private static Map<String, Object> published(Optional<StreamPosition> position) {
    return position.isEmpty() ? ApiJson.ok() : ApiJson.ok(Map.of("position", position.get().toString()));
  }
}
