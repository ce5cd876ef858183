package dev.switchboard.presence;

import java.util.Objects;
import dev.switchboard.http.internal.Globs;
import java.util.regex.Pattern;

/**
 * Whether the rooms matching a pattern track presence, and whether they announce arrivals and
 * departures with {@code presence:join} / {@code presence:leave} events.
 *
 * @param roomPattern a room name pattern where {@code *} matches any run of characters
 * @param track whether presence is tracked at all
 * @param events whether changes are announced to the room
 */
public record PresenceRule(String roomPattern, boolean track, boolean events) {
  public PresenceRule {
    Objects.requireNonNull(roomPattern, "roomPattern");
  }

  /** The pattern as a regular expression. */
  public Pattern toRegex() {
    return Globs.pattern(roomPattern);
  }
}
