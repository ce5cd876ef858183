package dev.switchboard.spring.handler;

import java.util.Objects;
import java.util.Optional;

/**
 * Thrown by a handler to answer its event with {@code {ok:false, error:{code, message, details?}}}:
 * a failure the client can act on, as opposed to a bug ({@code INTERNAL}).
 */
public class EventException extends RuntimeException {
  private final String code;
  private final transient Object details;

  /** An error answered with {@code code} (upper-case, e.g. {@code NOT_FOUND}) and {@code message}. */
  public EventException(String code, String message) {
    this(code, message, null);
  }

  /** An error answered with {@code code}, {@code message} and {@code details} (any JSON value). */
  public EventException(String code, String message, Object details) {
    super(message);
    this.code = Objects.requireNonNull(code, "code");
    this.details = details;
  }

  public String code() {
    return code;
  }

  public Optional<Object> details() {
    return Optional.ofNullable(details);
  }
}
