package dev.switchboard.history;

import java.time.Duration;
import java.util.Objects;
import dev.switchboard.socketio.Rooms;
import java.util.regex.Pattern;

/**
 * How much history the rooms matching a pattern keep.
 *
 * @param roomPattern a room name pattern where {@code *} matches any run of characters
 *     (e.g. {@code chat:*}); {@code *} alone matches every room
 * @param maxLength most messages kept per room (0 keeps none)
 * @param ttl how long a message is kept
 */
public record HistoryRule(String roomPattern, int maxLength, Duration ttl) {
  public HistoryRule {
    Objects.requireNonNull(roomPattern, "roomPattern");
    Objects.requireNonNull(ttl, "ttl");
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must not be negative");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
  }

  /** The pattern as a regular expression. */
  public Pattern toRegex() {
    return Rooms.pattern(roomPattern);
  }
}
