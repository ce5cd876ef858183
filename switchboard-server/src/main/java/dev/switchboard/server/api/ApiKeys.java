package dev.switchboard.server.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The keys that open the server API, several at once so that one can be rotated without a gap.
 * Only their SHA-256 digests are kept, and a presented key is compared with every one of them in
 * constant time over digests of one length: neither the time nor the key's length tells how close
 * a guess came.
 */
public final class ApiKeys {
  /** The header that carries a key. */
  public static final String HEADER = "X-API-Key";
  /** The {@code Authorization} scheme that carries a key: {@code Authorization: apikey <key>}. */
  public static final String SCHEME = "apikey";
  /** Shortest key accepted. */
  public static final int MIN_LENGTH = 16;

  private final List<byte[]> digests;

  private ApiKeys(List<byte[]> digests) {
    this.digests = digests;
  }

  /** No key: the server API is disabled. */
  public static ApiKeys none() {
    return new ApiKeys(List.of());
  }

  /** {@code keys}, each at least {@link #MIN_LENGTH} characters. */
  public static ApiKeys of(List<String> keys) {
    for (String key : keys) {
      if (key.length() < MIN_LENGTH) {
        throw new IllegalArgumentException("an API key must have at least " + MIN_LENGTH + " characters");
      }
    }
    return new ApiKeys(keys.stream().map(ApiKeys::digest).toList());
  }

  /** Whether any key is configured; without one the server API is disabled. */
  public boolean enabled() {
    return !digests.isEmpty();
  }

  /** Whether {@code presented} is one of the keys; every key is compared, whichever matches. */
  public boolean accepts(String presented) {
    byte[] digest = digest(presented);
    boolean accepted = false;
    for (byte[] key : digests) {
      accepted |= MessageDigest.isEqual(key, digest);
    }
    return accepted;
  }

  /** The key a request presents: its {@code X-API-Key} header, or {@code Authorization: apikey <key>}. */
  public static Optional<String> presented(HttpHeaders headers) {
    String header = headers.get(HEADER);
    if (header != null && !header.isBlank()) {
      return Optional.of(header.trim());
    }
    String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
    if (authorization != null) {
      String value = authorization.trim();
      int space = value.indexOf(' ');
      if (space > 0 && value.substring(0, space).toLowerCase(Locale.ROOT).equals(SCHEME)) {
        String key = value.substring(space + 1).trim();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
      }
    }
    return Optional.empty();
  }

  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
