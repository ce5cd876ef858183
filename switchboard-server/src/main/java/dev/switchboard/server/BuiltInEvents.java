package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The standalone server's built-in events on namespace {@code /}; each answers through its ack
 * with {@code {ok:true, ...}} or {@code {ok:false, error:{code, message}}}.
 *
 * <ul>
 *   <li>{@code room:join {room}} joins a room;</li>
 *   <li>{@code room:leave {room}} leaves it;</li>
 *   <li>{@code room:publish {room, event, data}} sends {@code event(data, meta)} to every other
 *       member, meta being {@code {room, from}}.</li>
 * </ul>
 */
public final class BuiltInEvents {
  /** Longest event name accepted in a publish. */
  public static final int MAX_EVENT_LENGTH = 100;
  /** Event names travel in SSE {@code event:} lines too, so they hold no control characters. */
  private static final Pattern EVENT_NAME = Pattern.compile("[^\\p{Cntrl}]{1," + MAX_EVENT_LENGTH + "}");
  private static final Set<String> RESERVED_EVENTS = Set.of(
      "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

  private BuiltInEvents() {}

  public static void install(SocketIoServer io) {
    io.onConnection(socket -> {
      socket.on("room:join", event -> join(socket, event));
      socket.on("room:leave", event -> leave(socket, event));
      socket.on("room:publish", event -> publish(socket, event));
    });
  }

  private static void join(Socket socket, Event event) {
    String room = room(event);
    if (room == null) {
      return;
    }
    Optional<RoomRules.Refusal> refusal = RoomRules.checkJoin(room);
    if (refusal.isPresent()) {
      event.ack(error(refusal.get().code(), refusal.get().message()));
      return;
    }
    socket.join(room);
    event.ack(ok());
  }

  private static void leave(Socket socket, Event event) {
    String room = room(event);
    if (room == null) {
      return;
    }
    socket.leave(room);
    event.ack(ok());
  }

  private static void publish(Socket socket, Event event) {
    String room = room(event);
    if (room == null) {
      return;
    }
    JsonNode request = event.args().get(0);
    JsonNode name = request.get("event");
    if (name == null || !name.isTextual() || !EVENT_NAME.matcher(name.textValue()).matches()
        || RESERVED_EVENTS.contains(name.textValue())) {
      event.ack(error("INVALID_EVENT", "event must be a non-reserved name of 1 to " + MAX_EVENT_LENGTH + " characters, without control characters"));
      return;
    }
    if (!socket.rooms().contains(room)) {
      event.ack(error("NOT_IN_ROOM", "join \"" + room + "\" before publishing to it"));
      return;
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("room", room);
    meta.put("from", socket.id());
    JsonNode data = request.get("data");
    socket.to(room).emit(name.textValue(), data == null ? null : data, meta);
    event.ack(ok());
  }

  /** The room named by the event's first argument, or null after answering with an error. */
  private static String room(Event event) {
    JsonNode request = event.args().get(0);
    JsonNode room = request.isObject() ? request.get("room") : null;
    if (room == null || !room.isTextual()) {
      event.ack(error("INVALID_REQUEST", "expected {room: string}"));
      return null;
    }
    String name = room.textValue();
    Optional<RoomRules.Refusal> invalid = RoomRules.checkName(name);
    if (invalid.isPresent()) {
      event.ack(error(invalid.get().code(), invalid.get().message()));
      return null;
    }
    return name;
  }

  private static Map<String, Object> ok() {
    return Map.of("ok", true);
  }

  static Map<String, Object> error(String code, String message) {
    return Map.of("ok", false, "error", Map.of("code", code, "message", message));
  }
}
