package dev.switchboard.auth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.socketio.Handshake;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.Optional;

/**
 * Where a token is looked for, first found wins. Socket.IO: the CONNECT {@code auth.token},
 * then {@code Authorization: Bearer}, then the cookie. SSE: the {@code token} query parameter,
 * then {@code Authorization: Bearer}, then the cookie.
 */
public final class TokenSources {
  private static final String BEARER = "bearer ";

  private TokenSources() {}

  public static Optional<String> fromHandshake(Handshake handshake, Optional<String> cookieName) {
    return handshake.authField("token").filter(t -> !t.isBlank())
        .or(() -> bearer(handshake.header("authorization").orElse(null)))
        .or(() -> cookieName.flatMap(name -> cookie(handshake.header("cookie").orElse(null), name)));
  }

  /**
   * Whether a {@code token} field is missing, null or text: any other value (a number, an object)
   * was sent as a token and is invalid, not missing.
   */
  public static boolean isAbsentOrText(JsonNode token) {
    return token == null || token.isNull() || token.isTextual();
  }

  public static Optional<String> fromRequest(HttpExchange exchange, Optional<String> cookieName) {
    return exchange.queryParam("token").filter(t -> !t.isBlank())
        .or(() -> bearer(exchange.headers().get(HttpHeaderNames.AUTHORIZATION)))
        .or(() -> cookieName.flatMap(name -> cookie(exchange.headers().get(HttpHeaderNames.COOKIE), name)));
  }

  static Optional<String> bearer(String header) {
    if (header == null || header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return Optional.empty();
    }
    String token = header.substring(BEARER.length()).trim();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  static Optional<String> cookie(String header, String cookieName) {
    if (header == null) {
      return Optional.empty();
    }
    for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
      if (cookie.name().equals(cookieName) && !cookie.value().isBlank()) {
        return Optional.of(cookie.value());
      }
    }
    return Optional.empty();
  }
}
