package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import java.util.Optional;

/** The room a built-in request names in its first argument {@code {room}}, checked before the request runs. */
final class RoomRequests {
  private RoomRequests() {}

  /** The room named by the event's first argument, or empty after answering with an error. */
  static Optional<String> room(Event event) {
    JsonNode request = event.args().get(0);
    JsonNode room = request.isObject() ? request.get("room") : null;
    if (room == null || !room.isTextual()) {
      event.ack(Answers.error("INVALID_REQUEST", "expected {room: string}"));
      return Optional.empty();
    }
    String name = room.textValue();
    Optional<RoomRules.Refusal> invalid = RoomRules.checkName(name);
    if (invalid.isPresent()) {
      event.ack(Answers.error(invalid.get().code(), invalid.get().message()));
      return Optional.empty();
    }
    return Optional.of(name);
  }

  /** The room of a request that only members may make, or empty after answering with an error. */
  static Optional<String> memberRoom(Socket socket, Event event) {
    Optional<String> room = room(event);
    if (room.isPresent() && !socket.rooms().contains(room.get())) {
      event.ack(Answers.error("NOT_IN_ROOM", "join \"" + room.get() + "\" first"));
      return Optional.empty();
    }
    return room;
  }
}
