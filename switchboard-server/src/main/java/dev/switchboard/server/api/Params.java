package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.server.messages.RoomNames;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The parameters of one operation, a JSON object, read and checked field by field. */
final class Params {
  /** Most rooms or users one operation may name. */
  static final int MAX_TARGETS = 100;
  /** Longest user id or socket id accepted. */
  static final int MAX_ID_LENGTH = 200;

  private final JsonNode json;

  private Params(JsonNode json) {
    this.json = json;
  }

  static Params of(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw ApiError.invalid("the parameters must be a JSON object");
    }
    return new Params(json);
  }

  boolean has(String field) {
    JsonNode value = json.get(field);
    return value != null && !value.isNull();
  }

  /** The value of {@code field}, JSON null when absent. */
  JsonNode any(String field) {
    JsonNode value = json.get(field);
    return value == null ? NullNode.getInstance() : value;
  }

  String string(String field, int maxLength) {
    return optionalString(field, maxLength).orElseThrow(() -> ApiError.invalid(field + " is required"));
  }

  Optional<String> optionalString(String field, int maxLength) {
    if (!has(field)) {
      return Optional.empty();
    }
    JsonNode value = json.get(field);
    if (!value.isTextual() || value.textValue().isEmpty() || value.textValue().length() > maxLength) {
      throw ApiError.invalid(field + " must be a string of 1 to " + maxLength + " characters");
    }
    return Optional.of(value.textValue());
  }

  /** A well-formed room name in {@code field}. */
  String room(String field) {
    if (!has(field) || !json.get(field).isTextual()) {
      throw ApiError.invalid(field + " must be a room name");
    }
    return checkedRoom(json.get(field).textValue());
  }

  Optional<String> optionalRoom(String field) {
    return has(field) ? Optional.of(room(field)) : Optional.empty();
  }

  /** A well-formed user id in {@code field}, as the room of that user. */
  String userRoom(String field) {
    String user = string(field, MAX_ID_LENGTH);
    return checkedRoom(Rooms.user(user));
  }

  int integer(String field, int defaultValue, int min, int max) {
    if (!has(field)) {
      return defaultValue;
    }
    JsonNode value = json.get(field);
    if (!value.canConvertToInt() || !value.isIntegralNumber() || value.intValue() < min || value.intValue() > max) {
      throw ApiError.invalid(field + " must be a whole number from " + min + " to " + max);
    }
    return value.intValue();
  }

  /**
   * The rooms a publish names: exactly one of {@code room}, {@code rooms} (an array), {@code user}
   * or {@code users} (an array of user ids, each as its room), at most {@link #MAX_TARGETS}.
   */
  List<String> targets(boolean single) {
    List<String> present = new ArrayList<>();
    for (String field : single ? List.of("room", "user") : List.of("room", "rooms", "user", "users")) {
      if (has(field)) {
        present.add(field);
      }
    }
    if (present.size() != 1) {
      throw ApiError.invalid(single ? "name exactly one of room or user" : "name exactly one of room, rooms, user or users");
    }
    return switch (present.get(0)) {
      case "room" -> List.of(room("room"));
      case "user" -> List.of(userRoom("user"));
      case "rooms" -> array("rooms", false);
      default -> array("users", true);
    };
  }

  /** The room a membership operation acts on: {@code user} (that user's room) or {@code socket} (that socket's own room). */
  String userOrSocket() {
    if (has("user") == has("socket")) {
      throw ApiError.invalid("name exactly one of user or socket");
    }
    return has("user") ? userRoom("user") : string("socket", MAX_ID_LENGTH);
  }

  private List<String> array(String field, boolean users) {
    JsonNode array = json.get(field);
    if (!array.isArray() || array.isEmpty() || array.size() > MAX_TARGETS) {
      throw ApiError.invalid(field + " must be an array of 1 to " + MAX_TARGETS + " names");
    }
    Set<String> rooms = new LinkedHashSet<>();
    for (JsonNode item : array) {
      if (!item.isTextual() || item.textValue().isEmpty() || item.textValue().length() > MAX_ID_LENGTH) {
        throw ApiError.invalid(field + " must hold strings of 1 to " + MAX_ID_LENGTH + " characters");
      }
      rooms.add(checkedRoom(users ? Rooms.user(item.textValue()) : item.textValue()));
    }
    return List.copyOf(rooms);
  }

  private static String checkedRoom(String room) {
    RoomNames.problem(room).ifPresent(problem -> {
      throw ApiError.invalid("INVALID_ROOM", problem);
    });
    return room;
  }
}
