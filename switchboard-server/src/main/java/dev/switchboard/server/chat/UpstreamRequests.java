package dev.switchboard.server.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/** The part of a streaming request that both APIs share. */
final class UpstreamRequests {
  private UpstreamRequests() {}

  /** A JSON POST to {@code base + path} that asks for an event stream. */
  static HttpRequest.Builder post(URI base, String path, String json) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json")
        .header("Accept", "text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if ("http".equals(base.getScheme())) {
      builder.version(HttpClient.Version.HTTP_1_1);
    }
    return builder;
  }
}
