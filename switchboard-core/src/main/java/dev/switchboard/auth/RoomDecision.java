package dev.switchboard.auth;

/**
 * The answer of a {@link RoomAuthorizer}.
 *
 * @param allowed whether the action is allowed
 * @param error why not ({@link AuthError#FORBIDDEN_ROOM} or {@link AuthError#AUTHZ_UNAVAILABLE}); null when allowed
 * @param message a human-readable explanation; null when allowed
 */
public record RoomDecision(boolean allowed, AuthError error, String message) {
  public static final RoomDecision ALLOW = new RoomDecision(true, null, null);

  public static RoomDecision deny(AuthError error, String message) {
    return new RoomDecision(false, error, message);
  }

  public static RoomDecision forbidden(String message) {
    return deny(AuthError.FORBIDDEN_ROOM, message);
  }
}
