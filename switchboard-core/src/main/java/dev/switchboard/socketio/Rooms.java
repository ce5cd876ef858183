package dev.switchboard.socketio;

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
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  /** The room of one user, across their tabs and devices. */
  public static String user(String userId) {
    return USER_PREFIX + userId;
  }
}
