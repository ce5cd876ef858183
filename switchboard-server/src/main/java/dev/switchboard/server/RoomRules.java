package dev.switchboard.server;

import dev.switchboard.rooms.Rooms;
import dev.switchboard.server.messages.RoomNames;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which rooms a client may join in open mode, the same for a Socket.IO {@code room:join} and an
 * SSE subscription: well-formed names only, and never a per-user room or another socket's own room.
 */
public final class RoomRules {
  /** Longest room name accepted. */
  public static final int MAX_ROOM_LENGTH = RoomNames.MAX_LENGTH;
  /** Socket ids (20 URL-safe base64 characters) name private rooms that only their socket may be in. */
  private static final Pattern SOCKET_ID = Pattern.compile("[A-Za-z0-9_-]{20}");

  /** A refusal with a stable code. */
  public record Refusal(String code, String message) {}

  private RoomRules() {}

  /** Empty when {@code room} is a well-formed name; a refusal coded INVALID_ROOM otherwise. */
  public static Optional<Refusal> checkName(String room) {
    return RoomNames.problem(room).map(problem -> new Refusal("INVALID_ROOM", problem));
  }

  /**
   * For authenticated clients: empty when {@code room} is well formed and not another socket's
   * own room; per-user rooms are left to the authorizer.
   */
  public static Optional<Refusal> checkJoinAuthenticated(String room) {
    Optional<Refusal> invalid = checkName(room);
    if (invalid.isPresent()) {
      return invalid;
    }
    if (SOCKET_ID.matcher(room).matches()) {
      return Optional.of(new Refusal("FORBIDDEN_ROOM", "a socket's own room cannot be joined by others"));
    }
    return Optional.empty();
  }

  /** Empty when a client may join {@code room}; a refusal coded INVALID_ROOM or FORBIDDEN_ROOM otherwise. */
  public static Optional<Refusal> checkJoin(String room) {
    Optional<Refusal> invalid = checkName(room);
    if (invalid.isPresent()) {
      return invalid;
    }
    if (room.startsWith(Rooms.USER_PREFIX)) {
      return Optional.of(new Refusal("FORBIDDEN_ROOM", "per-user rooms are joined by the server, not by clients"));
    }
    if (SOCKET_ID.matcher(room).matches()) {
      return Optional.of(new Refusal("FORBIDDEN_ROOM", "a socket's own room cannot be joined by others"));
    }
    return Optional.empty();
  }
}
