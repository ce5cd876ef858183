package dev.switchboard.spring.handler;

import java.util.LinkedHashMap;
import java.util.Map;

/** The error answers of handlers, in the shape of the server's built-in requests: {@code {ok:false, error:{code, message, details?}}}. */
final class ErrorAnswers {
  static final String INVALID_REQUEST = "INVALID_REQUEST";
  static final String INTERNAL = "INTERNAL";

  private ErrorAnswers() {}

  static Map<String, Object> error(String code, String message) {
    return Map.of("ok", false, "error", Map.of("code", code, "message", message));
  }

  static Map<String, Object> error(String code, String message, Object details) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put("details", details);
    return Map.of("ok", false, "error", error);
  }

  static Map<String, Object> of(EventException failure) {
    return failure.details().map(details -> error(failure.code(), failure.getMessage(), details))
        .orElseGet(() -> error(failure.code(), failure.getMessage()));
  }

  static Map<String, Object> internal(String event) {
    return error(INTERNAL, "the server failed to handle \"" + event + "\"; try again");
  }
}
