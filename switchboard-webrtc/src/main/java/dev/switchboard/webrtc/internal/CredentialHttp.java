package dev.switchboard.webrtc.internal;

import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.http.CorsOptions;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.internal.Cors;
import dev.switchboard.http.internal.Json;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the credential endpoints share: the path, origin and method checks, and JSON answers
 * that are never cached ({@code {code, message}} for refusals).
 */
final class CredentialHttp {
  private final String path;
  private final HttpMethod method;
  private final CorsOptions cors;

  CredentialHttp(String path, HttpMethod method, CorsOptions cors) {
    this.path = path;
    this.method = method;
    this.cors = cors;
  }

  /** Whether {@code exchange} is a request the endpoint serves; otherwise it has been answered. */
  boolean admits(HttpExchange exchange) {
    if (!exchange.path().equals(path) && !exchange.path().equals(path + "/")) {
      refuse(exchange, 404, "NOT_FOUND", "no such endpoint");
      return false;
    }
    if (!Cors.permits(cors, exchange)) {
      refuse(exchange, 403, "FORBIDDEN_ORIGIN", "this origin may not ask for credentials here");
      return false;
    }
    if (exchange.method().equals(HttpMethod.OPTIONS)) {
      exchange.respondEmpty(HttpResponseStatus.NO_CONTENT, Cors.preflight(cors, exchange, method.name() + ", OPTIONS"));
      return false;
    }
    if (!exchange.method().equals(method)) {
      HttpHeaders headers = headers(exchange).set(HttpHeaderNames.ALLOW, method.name() + ", OPTIONS");
      exchange.respondJson(HttpResponseStatus.METHOD_NOT_ALLOWED, error("METHOD_NOT_ALLOWED", "use " + method.name(), Map.of()), headers);
      return false;
    }
    return true;
  }

  void answer(HttpExchange exchange, Object body) {
    if (exchange.channel().isActive()) {
      exchange.respondJson(HttpResponseStatus.OK, Json.stringify(body), headers(exchange));
    }
  }

  void refuse(HttpExchange exchange, CredentialDesk.Refused<?> refused) {
    refuse(exchange, refused.status(), refused.code(), refused.message(), refused.details());
  }

  /** Refuses for a failed authentication: the {@link AuthException}'s status and code. */
  void refuse(HttpExchange exchange, Throwable authFailure) {
    AuthException error = SocketAuthentication.unwrap(authFailure);
    refuse(exchange, error.error().httpStatus(), error.code(), error.getMessage());
  }

  void refuse(HttpExchange exchange, int status, String code, String message) {
    refuse(exchange, status, code, message, Map.of());
  }

  private void refuse(HttpExchange exchange, int status, String code, String message, Map<String, Object> details) {
    if (exchange.channel().isActive()) {
      exchange.respondJson(HttpResponseStatus.valueOf(status), error(code, message, details), headers(exchange));
    }
  }

  private static String error(String code, String message, Map<String, Object> details) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message);
    body.putAll(details);
    return Json.stringify(body);
  }

  /** The CORS headers (a copy: they may be immutable) and no caching: credentials are the caller's alone. */
  private HttpHeaders headers(HttpExchange exchange) {
    return new DefaultHttpHeaders().add(Cors.headers(cors, exchange)).set(HttpHeaderNames.CACHE_CONTROL, "no-store");
  }
}
