package dev.switchboard.history;

import java.time.Duration;
import java.util.Objects;
import dev.switchboard.http.internal.Globs;
import java.util.regex.Pattern;

/**
 * How much history the rooms matching a pattern keep.
 *
 * @param roomPattern a room name pattern where {@code *} matches any run of characters
 *     (e.g. {@code chat:*}); {@code *} alone matches every room
 * @param maxLength most messages kept per room (0 keeps none)
 * @param ttl how long a message is kept
 * @param maxBytes most bytes kept per room (payloads plus a small overhead per message); the
 *     oldest messages go first when a new one would exceed it
 */
public record HistoryRule(String roomPattern, int maxLength, Duration ttl, long maxBytes) {
  /** Default {@link #maxBytes()}: 1 MiB per room. */
  public static final long DEFAULT_MAX_BYTES = 1 << 20;

  /** A rule keeping at most {@link #DEFAULT_MAX_BYTES} per room. */
  public HistoryRule(String roomPattern, int maxLength, Duration ttl) {
    this(roomPattern, maxLength, ttl, DEFAULT_MAX_BYTES);
  }

  public HistoryRule {
    Objects.requireNonNull(roomPattern, "roomPattern");
    Objects.requireNonNull(ttl, "ttl");
    if (maxLength < 0) {
      throw new IllegalArgumentException("maxLength must not be negative");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive");
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
  }

  /** The pattern as a regular expression. */
  public Pattern toRegex() {
    return Globs.pattern(roomPattern);
  }
}
