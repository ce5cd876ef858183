package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A backend calling the server API over real HTTP (java.net.http). */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One answer: its status and JSON body. */
  record Answer(int status, JsonNode body, HttpResponse<String> response) {
    String code() {
      return body.path("error").path("code").asText();
    }
  }

  private final int port;
  private final String key;

  ApiClient(int port, String key) {
    this.port = port;
    this.key = key;
  }

  /** {@code POST /api/v1/server/<operation>} with {@code body} (a map, or text sent as it is) and the key in X-API-Key. */
  Answer call(String operation, Object body) {
    return send(request(operation, body).header("X-API-Key", key));
  }

  /** The same, with {@code headers} instead of the key. */
  Answer callWith(String operation, Object body, Map<String, String> headers) {
    HttpRequest.Builder request = request(operation, body);
    headers.forEach(request::header);
    return send(request);
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-API-Key", key).GET());
  }

  /** Calls {@code operation}, failing unless the answer is 200 {@code {ok:true}}; returns the body. */
  JsonNode ok(String operation, Object body) {
    Answer answer = call(operation, body);
    if (answer.status() != 200 || !answer.body().path("ok").asBoolean()) {
      throw new AssertionError(operation + " answered " + answer.status() + " " + answer.body());
    }
    return answer.body();
  }

  private HttpRequest.Builder request(String operation, Object body) {
    String text;
    try {
      text = body instanceof String raw ? raw : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/server/" + operation))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(text));
  }

  private static Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
      return new Answer(response.statusCode(), body, response);
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
