package dev.switchboard.spring.handler;

import java.util.List;

/**
 * A payload that does not bind to its parameter or does not validate; answered
 * {@code INVALID_REQUEST} with the problems as {@code details}.
 */
public final class InvalidPayloadException extends EventException {
  /**
   * One problem of a payload.
   *
   * @param field the property path within the payload; empty for the payload as a whole
   * @param message what is wrong
   */
  public record Violation(String field, String message) {}

  public InvalidPayloadException(String message, List<Violation> violations) {
    super(ErrorAnswers.INVALID_REQUEST, message, List.copyOf(violations));
  }
}
