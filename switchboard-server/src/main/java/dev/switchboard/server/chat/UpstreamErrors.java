package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.concurrent.CompletionException;

/** Turns what an upstream API reports into the messages clients see. */
final class UpstreamErrors {
  /** An error the API reported (status or error event). */
  static final String UPSTREAM_ERROR = "UPSTREAM_ERROR";
  /** The API could not be reached, or the connection broke. */
  static final String UPSTREAM_UNAVAILABLE = "UPSTREAM_UNAVAILABLE";

  private UpstreamErrors() {}

  /**
   * {@code prefix}, then the type and message of an {@code {"error": {type, message}}} body
   * (the shape both Anthropic and OpenAI use) when there is one.
   */
  static String describe(String prefix, String body) {
    try {
      return describe(prefix, ChatJson.MAPPER.readTree(body));
    } catch (IOException | RuntimeException e) {
      return prefix;
    }
  }

  static String describe(String prefix, JsonNode root) {
    JsonNode error = root == null ? null : root.get("error");
    if (error == null || !error.isObject()) {
      return prefix;
    }
    String type = error.path("type").asText("");
    if (type.isEmpty()) {
      type = error.path("code").asText("");
    }
    String message = error.path("message").asText("");
    return prefix + (type.isEmpty() ? "" : " (" + type + ")") + (message.isEmpty() ? "" : ": " + message);
  }

  /** A short description of a transport failure. */
  static String transport(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
  }
}
