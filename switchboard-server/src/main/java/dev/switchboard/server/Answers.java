package dev.switchboard.server;

import java.util.Map;

/** The answers of the built-in requests: {@code {ok:true, ...}} or {@code {ok:false, error:{code, message}}}. */
final class Answers {
  private Answers() {}

  static Map<String, Object> ok() {
    return Map.of("ok", true);
  }

  static Map<String, Object> error(String code, String message) {
    return Map.of("ok", false, "error", Map.of("code", code, "message", message));
  }
}
