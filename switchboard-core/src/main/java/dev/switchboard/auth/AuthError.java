package dev.switchboard.auth;

/** Why a token was refused or a room was not granted; {@link #name()} is the stable wire code. */
public enum AuthError {
  /** No token was presented. */
  AUTH_REQUIRED("authentication required: send a token"),
  /** The token is malformed, unsigned ({@code alg: none}), signed with an unexpected algorithm or key, or lacks {@code sub}. */
  TOKEN_INVALID("token is not valid"),
  /** The token's {@code exp} has passed (beyond the allowed clock skew). */
  TOKEN_EXPIRED("token has expired"),
  /** The token's {@code nbf} is still in the future (beyond the allowed clock skew). */
  TOKEN_NOT_YET_VALID("token is not valid yet"),
  /** The token's {@code aud} does not name this server. */
  WRONG_AUDIENCE("token is meant for another audience"),
  /** The token's {@code iss} is not the configured issuer. */
  WRONG_ISSUER("token comes from another issuer"),
  /** A refreshed token names another {@code sub} than the connection's. */
  SUBJECT_MISMATCH("the new token is for another user"),
  /** The signing keys could not be fetched (JWKS URL down). */
  AUTH_UNAVAILABLE("signing keys are unavailable, try again later"),
  /** The principal may not join (or publish to) the room. */
  FORBIDDEN_ROOM("not allowed in this room"),
  /** The authorization backend did not answer in time or answered an error. */
  AUTHZ_UNAVAILABLE("authorization service is unavailable, try again later");

  private final String defaultMessage;

  AuthError(String defaultMessage) {
    this.defaultMessage = defaultMessage;
  }

  /** A short human-readable explanation. */
  public String defaultMessage() {
    return defaultMessage;
  }

  /**
   * The HTTP status an HTTP endpoint (an SSE stream, the chat endpoint) answers with: 403 for a
   * forbidden room, 503 when a backend is down, 401 for every token problem.
   */
  public int httpStatus() {
    return switch (this) {
      case FORBIDDEN_ROOM -> 403;
      case AUTHZ_UNAVAILABLE, AUTH_UNAVAILABLE -> 503;
      default -> 401;
    };
  }
}
