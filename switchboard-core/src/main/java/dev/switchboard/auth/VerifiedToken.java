package dev.switchboard.auth;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The principal of a verified JWT.
 *
 * @param subject the {@code sub} claim: the user id
 * @param claims every claim, as JSON-like values (strings, numbers, booleans, lists, maps)
 * @param expiry the {@code exp} claim; empty for a token that does not expire
 */
public record VerifiedToken(String subject, Map<String, Object> claims, Optional<Instant> expiry) {
  /** Registered claims that are never shown to other users. */
  private static final Set<String> REGISTERED = Set.of("sub", "iss", "aud", "exp", "nbf", "iat", "jti");

  public VerifiedToken {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(expiry, "expiry");
    claims = Map.copyOf(claims);
  }

  /** A token that expires at {@code expiresAt}. */
  public VerifiedToken(String subject, Map<String, Object> claims, Instant expiresAt) {
    this(subject, claims, Optional.of(expiresAt));
  }

  /** A token that does not expire. */
  public VerifiedToken(String subject, Map<String, Object> claims) {
    this(subject, claims, Optional.empty());
  }

  public Optional<Object> claim(String name) {
    return Optional.ofNullable(claims.get(name));
  }

  /** Whether claim {@code name} equals {@code value}, or is a list containing it (compared as text). */
  public boolean claimHas(String name, String value) {
    Object claim = claims.get(name);
    if (claim instanceof List<?> list) {
      return list.stream().anyMatch(item -> item != null && item.toString().equals(value));
    }
    return claim != null && claim.toString().equals(value);
  }

  /**
   * The scalar claims among {@code names} (such as {@code name}), shown to other users in
   * presence; lists, objects and registered claims are left out.
   */
  public Map<String, Object> publicInfo(java.util.Collection<String> names) {
    Map<String, Object> info = new LinkedHashMap<>();
    for (String key : names) {
      Object value = claims.get(key);
      if (!REGISTERED.contains(key) && (value instanceof String || value instanceof Number || value instanceof Boolean)) {
        info.put(key, value);
      }
    }
    return info;
  }
}
