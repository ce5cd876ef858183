package dev.switchboard.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON of the server API: every answer is {@code {ok:true, ...}} or {@code {ok:false, error:{code, message}}}. */
final class ApiJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private ApiJson() {}

  static Map<String, Object> ok() {
    return Map.of("ok", true);
  }

  /** {@code {ok:true}} followed by {@code fields} in their order. */
  static Map<String, Object> ok(Map<String, Object> fields) {
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("ok", true);
    answer.putAll(fields);
    return answer;
  }

  static Map<String, Object> error(String code, String message) {
    return Map.of("ok", false, "error", Map.of("code", code, "message", message));
  }

  static Map<String, Object> error(ApiError error) {
    return error(error.code(), error.getMessage());
  }

  static String write(Object answer) {
    try {
      return MAPPER.writeValueAsString(answer);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an answer of the server API is not JSON", e);
    }
  }

  static JsonNode read(byte[] body) throws java.io.IOException {
    return MAPPER.readTree(body);
  }
}
