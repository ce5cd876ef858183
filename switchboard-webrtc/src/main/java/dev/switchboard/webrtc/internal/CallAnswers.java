package dev.switchboard.webrtc.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/** Acknowledgements of the call events: {@code {ok:true, ...}} or {@code {ok:false, error:{code, message, ...}}}. */
public final class CallAnswers {
  private CallAnswers() {}

  public static Map<String, Object> ok(Map<String, Object> fields) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ok", true);
    answer.putAll(fields);
    return answer;
  }

  public static Map<String, Object> error(String code, String message) {
    return error(code, message, Map.of());
  }

  public static Map<String, Object> error(String code, String message, Map<String, Object> details) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.putAll(details);
    return Map.of("ok", false, "error", error);
  }
}
