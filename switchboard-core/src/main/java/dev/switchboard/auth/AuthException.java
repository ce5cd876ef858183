package dev.switchboard.auth;

/** A refused token or authorization, with its stable {@link AuthError} code. */
public final class AuthException extends RuntimeException {
  private final AuthError error;

  public AuthException(AuthError error, String message) {
    super(message, null, false, false);
    this.error = error;
  }

  public AuthException(AuthError error) {
    this(error, error.defaultMessage());
  }

  public AuthError error() {
    return error;
  }

  /** The wire code, e.g. {@code TOKEN_EXPIRED}. */
  public String code() {
    return error.name();
  }
}
