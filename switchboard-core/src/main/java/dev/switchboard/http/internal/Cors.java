package dev.switchboard.http.internal;

import dev.switchboard.http.CorsOptions;
import dev.switchboard.http.HttpExchange;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

/** CORS response headers for browser requests, per {@link CorsOptions}. */
public final class Cors {
  private Cors() {}

  /**
   * Whether {@code exchange} may be served under {@code cors}: a request without Origin (not from
   * a browser) always is.
   */
  public static boolean permits(CorsOptions cors, HttpExchange exchange) {
    String origin = exchange.headers().get(HttpHeaderNames.ORIGIN);
    return origin == null || cors.permits(origin);
  }

  /** Headers for an actual request; empty (and immutable) when CORS does not apply. */
  public static HttpHeaders headers(CorsOptions cors, HttpExchange exchange) {
    String origin = exchange.headers().get(HttpHeaderNames.ORIGIN);
    if (origin == null) {
      return EmptyHttpHeaders.INSTANCE;
    }
    String allowed = cors.allowOriginFor(origin).orElse(null);
    if (allowed == null) {
      return EmptyHttpHeaders.INSTANCE;
    }
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
    if (cors.credentials()) {
      headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    }
    if (!"*".equals(allowed)) {
      headers.set(HttpHeaderNames.VARY, "Origin");
    }
    return headers;
  }

  /** Headers answering a preflight ({@code OPTIONS}) request; empty (and immutable) when CORS does not apply. */
  public static HttpHeaders preflight(CorsOptions cors, HttpExchange exchange, String methods) {
    HttpHeaders headers = headers(cors, exchange);
    if (headers.isEmpty()) {
      return headers;
    }
    headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, methods);
    String requested = exchange.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
    if (requested != null) {
      headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, requested);
    } else if (!cors.allowedHeaders().isEmpty()) {
      headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, String.join(", ", cors.allowedHeaders()));
    }
    if (!cors.maxAge().isZero()) {
      headers.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, cors.maxAge().toSeconds());
    }
    return headers;
  }
}
