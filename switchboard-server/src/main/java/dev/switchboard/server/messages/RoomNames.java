package dev.switchboard.server.messages;

import java.util.Optional;
import java.util.regex.Pattern;

/** Which room names are well formed, for every way a room is named (clients, SSE, the server API). */
public final class RoomNames {
  /** Longest room name accepted. */
  public static final int MAX_LENGTH = 200;
  private static final Pattern ROOM_NAME = Pattern.compile("[\\p{L}\\p{N}_\\-:.@/#=+]+");

  private RoomNames() {}

  /** Empty when {@code room} is well formed; what is wrong with it otherwise. */
  public static Optional<String> problem(String room) {
    if (room.isEmpty() || room.length() > MAX_LENGTH || !ROOM_NAME.matcher(room).matches()) {
      return Optional.of("room names are 1 to " + MAX_LENGTH + " letters, digits or _-:.@/#=+ characters");
    }
    return Optional.empty();
  }
}
