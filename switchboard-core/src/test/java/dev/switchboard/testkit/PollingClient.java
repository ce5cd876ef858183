package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A minimal Engine.IO long-polling client over {@link HttpClient} (HTTP/1.1, as browsers poll). */
public final class PollingClient implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(TIMEOUT)
      .build();
  private final String base;

  /** A client for the Engine.IO endpoint at {@code path} (with its trailing slash). */
  public PollingClient(int port, String path) {
    this.base = "http://127.0.0.1:" + port + path;
  }

  /** The open packet's data. */
  public record Handshake(String sid, JsonNode json) {}

  /** Opens a session: {@code GET ?EIO=4&transport=polling} answered with {@code 0{...}}. */
  public Handshake handshake() {
    HttpResponse<String> response = get("EIO=4&transport=polling");
    if (response.statusCode() != 200 || !response.body().startsWith("0")) {
      throw new IllegalStateException("handshake failed: " + response.statusCode() + " " + response.body());
    }
    JsonNode json = parse(response.body().substring(1));
    return new Handshake(json.get("sid").asText(), json);
  }

  /** The query of requests for session {@code sid}. */
  public static String session(String sid) {
    return "EIO=4&transport=polling&sid=" + sid;
  }

  public URI uri(String query) {
    return URI.create(base + "?" + query);
  }

  public HttpRequest.Builder request(String query) {
    return HttpRequest.newBuilder(uri(query)).timeout(TIMEOUT);
  }

  public HttpResponse<String> get(String query) {
    return send(request(query).GET().build());
  }

  public CompletableFuture<HttpResponse<String>> getAsync(String query) {
    return http.sendAsync(request(query).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String query, String body) {
    return send(request(query).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** A long-polling GET for session {@code sid}. */
  public HttpResponse<String> poll(String sid) {
    return get(session(sid));
  }

  public CompletableFuture<HttpResponse<String>> pollAsync(String sid) {
    return getAsync(session(sid));
  }

  /** A POST of {@code payload} for session {@code sid}. */
  public HttpResponse<String> push(String sid, String payload) {
    return post(session(sid), payload);
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    http.shutdownNow();
  }
}
