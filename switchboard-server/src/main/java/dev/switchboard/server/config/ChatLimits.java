package dev.switchboard.server.config;

/**
 * How much of the model one caller (a user, or an IP address without authentication) may use.
 *
 * @param perMinute answers a caller may start per minute (all at once after a quiet minute); 0 for no limit
 * @param maxStreams answers a caller may stream at the same time; 0 for no limit
 */
public record ChatLimits(int perMinute, int maxStreams) {
  /** 20 answers a minute and 3 at a time per caller. */
  public static final ChatLimits DEFAULTS = new ChatLimits(20, 3);
  /** No limits. */
  public static final ChatLimits NONE = new ChatLimits(0, 0);

  public ChatLimits {
    if (perMinute < 0 || maxStreams < 0) {
      throw new IllegalArgumentException("chat limits must not be negative (0 means no limit)");
    }
  }
}
