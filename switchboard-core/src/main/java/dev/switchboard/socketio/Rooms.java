package dev.switchboard.socketio;

/** Conventions for room names. */
public final class Rooms {
  /** Prefix of per-user rooms: every socket of user {@code 42} may join {@code user:42}. */
  public static final String USER_PREFIX = "user:";

  private Rooms() {}

  /** The room of one user, across their tabs and devices. */
  public static String user(String userId) {
    return USER_PREFIX + userId;
  }
}
