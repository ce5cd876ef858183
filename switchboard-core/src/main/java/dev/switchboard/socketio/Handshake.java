package dev.switchboard.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.switchboard.engineio.EngineRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a client sent when it connected to a namespace: the Engine.IO handshake request and the
 * CONNECT packet's auth payload. It reads the request the session keeps anyway, so an idle
 * socket holds no copy of headers or query; the maps are built when asked for.
 */
public final class Handshake {
  private final EngineRequest request;
  /** Null when the client sent no auth payload: most do not, and an empty object costs 90 bytes. */
  private final JsonNode auth;

  private Handshake(EngineRequest request, JsonNode auth) {
    this.request = Objects.requireNonNull(request, "request");
    this.auth = auth == null || (auth.isObject() && auth.isEmpty()) ? null : auth;
  }

  /** The handshake of a socket connected through {@code request} with {@code auth} (an empty object when none). */
  public static Handshake of(EngineRequest request, JsonNode auth) {
    return new Handshake(request, Objects.requireNonNull(auth, "auth"));
  }

  /** The handshake of a socket connected through {@code request} without an auth payload. */
  public static Handshake of(EngineRequest request) {
    return new Handshake(request, null);
  }

  /** A handshake described field by field, e.g. one of a socket on another node. */
  public static Handshake of(Map<String, String> headers, JsonNode auth, String address, Instant time, String url,
      boolean secure) {
    HttpHeaders copy = new DefaultHttpHeaders();
    headers.forEach(copy::add);
    EngineRequest request = new EngineRequest(url, copy, InetSocketAddress.createUnresolved(address, 0), secure, time);
    return new Handshake(request, Objects.requireNonNull(auth, "auth"));
  }

  /** Request headers of the Engine.IO handshake, names in lower case, repeated headers joined by ", ". */
  public Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : request.headers()) {
      headers.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(), (a, b) -> a + ", " + b);
    }
    return java.util.Collections.unmodifiableMap(headers);
  }

  /** Query parameters of the handshake (the first value of each). */
  public Map<String, String> query() {
    Map<String, String> first = new LinkedHashMap<>();
    request.query().forEach((name, values) -> {
      if (!values.isEmpty()) {
        first.put(name, values.get(0));
      }
    });
    return java.util.Collections.unmodifiableMap(first);
  }

  /** The CONNECT packet's auth payload (an empty object when none). */
  public JsonNode auth() {
    return auth != null ? auth : JsonNodeFactory.instance.objectNode();
  }

  /** The client's IP address. */
  public String address() {
    return request.address();
  }

  /** When the Engine.IO handshake arrived. */
  public Instant time() {
    return request.time();
  }

  /** The handshake request's URI. */
  public String url() {
    return request.url();
  }

  /** Whether the connection used TLS. */
  public boolean secure() {
    return request.secure();
  }

  /** Whether the request came with an Origin header (cross-site). */
  public boolean xdomain() {
    return request.headers().contains(HttpHeaderNames.ORIGIN);
  }

  /** A header of the handshake request by name (any case); repeated headers joined by ", ". */
  public Optional<String> header(String name) {
    List<String> values = request.headers().getAll(name);
    return values.isEmpty() ? Optional.empty() : Optional.of(values.size() == 1 ? values.get(0) : String.join(", ", values));
  }

  public Optional<String> queryParam(String name) {
    List<String> values = request.query().get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** A text field of the auth payload, e.g. {@code authField("token")}. */
  public Optional<String> authField(String name) {
    JsonNode node = auth == null ? null : auth.get(name);
    return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
  }

  /** Epoch milliseconds of {@link #time()}, as Node's {@code issued}. */
  public long issued() {
    return time().toEpochMilli();
  }

  @Override
  public String toString() {
    return "Handshake[" + request.url() + " from " + address() + "]";
  }
}
