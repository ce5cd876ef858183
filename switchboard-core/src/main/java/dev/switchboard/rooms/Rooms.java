package dev.switchboard.rooms;

import dev.switchboard.http.internal.Globs;
import java.util.regex.Pattern;

/** Conventions for room names. */
public final class Rooms {
  /** Prefix of per-user rooms: every socket of user {@code 42} may join {@code user:42}. */
  public static final String USER_PREFIX = "user:";

  private Rooms() {}

  /**
   * A room name pattern as a regular expression: {@code *} matches any run of characters,
   * everything else matches itself ({@code chat:*} matches {@code chat:42}).
   */
  public static Pattern pattern(String glob) {
    return Globs.pattern(glob);
  }

  /** The room of one user, across their tabs and devices. */
  public static String user(String userId) {
    return USER_PREFIX + userId;
  }
}
