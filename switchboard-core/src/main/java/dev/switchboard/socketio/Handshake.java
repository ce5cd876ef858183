package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a client sent when it connected to a namespace.
 *
 * @param headers request headers of the Engine.IO handshake, names in lower case
 * @param query query parameters of the handshake (first value of each)
 * @param auth the CONNECT packet's auth payload (an empty object when none)
 * @param address the client's IP address
 * @param time when the Engine.IO handshake arrived
 * @param url the handshake request's URI
 * @param secure whether the connection used TLS
 * @param xdomain whether the request came with an Origin header (cross-site)
 */
public record Handshake(
    Map<String, String> headers,
    Map<String, String> query,
    JsonNode auth,
    String address,
    Instant time,
    String url,
    boolean secure,
    boolean xdomain) {

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(java.util.Locale.ROOT)));
  }

  public Optional<String> queryParam(String name) {
    return Optional.ofNullable(query.get(name));
  }

  /** A text field of the auth payload, e.g. {@code authField("token")}. */
  public Optional<String> authField(String name) {
    JsonNode node = auth.get(name);
    return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
  }

  /** Epoch milliseconds of {@link #time()}, as Node's {@code issued}. */
  public long issued() {
    return time.toEpochMilli();
  }

  public static Map<String, String> firstValues(Map<String, List<String>> multi) {
    Map<String, String> first = new java.util.LinkedHashMap<>();
    multi.forEach((k, v) -> {
      if (!v.isEmpty()) {
        first.put(k, v.get(0));
      }
    });
    return Map.copyOf(first);
  }
}
