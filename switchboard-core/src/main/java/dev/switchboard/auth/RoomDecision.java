package dev.switchboard.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer of a {@link RoomAuthorizer}.
 *
 * @param allowed whether the action is allowed
 * @param error why not ({@link AuthError#FORBIDDEN_ROOM} or {@link AuthError#AUTHZ_UNAVAILABLE}); empty when allowed
 * @param message a human-readable explanation; empty when allowed
 */
public record RoomDecision(boolean allowed, Optional<AuthError> error, Optional<String> message) {
  public static final RoomDecision ALLOW = new RoomDecision(true, Optional.empty(), Optional.empty());

  public RoomDecision {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(message, "message");
    if (allowed == error.isPresent() || allowed == message.isPresent()) {
      throw new IllegalArgumentException("a refusal has an error and a message, an allowance neither");
    }
  }

  public static RoomDecision deny(AuthError error, String message) {
    return new RoomDecision(false, Optional.of(error), Optional.of(message));
  }

  public static RoomDecision forbidden(String message) {
    return deny(AuthError.FORBIDDEN_ROOM, message);
  }
}
