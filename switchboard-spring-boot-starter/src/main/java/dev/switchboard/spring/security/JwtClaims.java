package dev.switchboard.spring.security;

import dev.switchboard.auth.VerifiedToken;
import java.net.URL;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.oauth2.jwt.Jwt;

/** A Spring Security {@link Jwt} as Switchboard's principal: claims as JSON-like values, times in epoch seconds as on the wire. */
final class JwtClaims {
  private JwtClaims() {}

  static VerifiedToken principal(Jwt jwt) {
    Map<String, Object> claims = new LinkedHashMap<>();
    jwt.getClaims().forEach((name, value) -> {
      Object plain = plain(value);
      if (plain != null) {
        claims.put(name, plain);
      }
    });
    return new VerifiedToken(jwt.getSubject(), claims, Optional.ofNullable(jwt.getExpiresAt()));
  }

  private static Object plain(Object value) {
    if (value instanceof Instant instant) {
      return instant.getEpochSecond();
    }
    if (value instanceof URL url) {
      return url.toString();
    }
    if (value instanceof Collection<?> items) {
      return items.stream().map(JwtClaims::plain).filter(java.util.Objects::nonNull).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((key, item) -> {
        Object plain = plain(item);
        if (plain != null) {
          copy.put(String.valueOf(key), plain);
        }
      });
      return copy;
    }
    return value;
  }
}
