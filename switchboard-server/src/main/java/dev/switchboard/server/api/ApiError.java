package dev.switchboard.server.api;

/**
 * A request the server API refuses or cannot serve: an HTTP status, a stable code and a message a
 * caller can act on. Answered as {@code {ok:false, error:{code, message}}}.
 */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;

  public ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  /** 400 with {@code code}: something in the request is wrong. */
  static ApiError invalid(String code, String message) {
    return new ApiError(400, code, message);
  }

  /** 400 INVALID_REQUEST. */
  static ApiError invalid(String message) {
    return invalid("INVALID_REQUEST", message);
  }

  /** 503 UNAVAILABLE: what the operation needs (Redis, another node) cannot answer now. */
  static ApiError unavailable(String message) {
    return new ApiError(503, "UNAVAILABLE", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
