package dev.switchboard.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Cross-origin rules for HTTP requests made by browsers (polling, SSE). Disabled by default, as
 * in Node's engine.io: no CORS headers are sent and browsers refuse cross-origin reads.
 *
 * @param origins allowed origins; {@code "*"} allows any origin (answered {@code *}, or each request's own
 *     origin when credentials are allowed: browsers refuse {@code *} with credentials)
 * @param credentials whether browsers may send cookies and HTTP auth ({@code withCredentials})
 * @param allowedHeaders request headers a preflight allows
 * @param maxAge how long browsers may cache a preflight answer
 */
public record CorsOptions(List<String> origins, boolean credentials, List<String> allowedHeaders, Duration maxAge) {
  /** No CORS headers at all. */
  public static final CorsOptions DISABLED = new CorsOptions(List.of(), false, List.of(), Duration.ZERO);

  public CorsOptions {
    origins = List.copyOf(Objects.requireNonNull(origins, "origins"));
    allowedHeaders = List.copyOf(Objects.requireNonNull(allowedHeaders, "allowedHeaders"));
    Objects.requireNonNull(maxAge, "maxAge");
  }

  /**
   * Allows {@code origins}. Named origins are allowed with credentials. {@code "*"} allows any
   * origin as Node's {@code cors: {origin: "*"}} does: answered {@code *}, without credentials,
   * since browsers refuse credentials with a wildcard; {@link #withCredentials()} changes that.
   */
  public static CorsOptions allow(String... origins) {
    List<String> allowed = List.of(origins);
    return new CorsOptions(allowed, !allowed.contains("*"), List.of("Content-Type", "Authorization"),
        Duration.ofHours(1));
  }

  /**
   * These rules with credentials allowed: browsers may send cookies and HTTP auth. With {@code "*"},
   * each request's own origin is answered (what browsers accept with credentials), as Node's
   * {@code cors: {origin: true, credentials: true}} does: any site may then make requests with the
   * user's cookies, so name the origins where cookies authenticate.
   */
  public CorsOptions withCredentials() {
    return new CorsOptions(origins, true, allowedHeaders, maxAge);
  }

  public boolean enabled() {
    return !origins.isEmpty();
  }

  /**
   * Whether a request with this {@code Origin} header may be served: any request when no origins
   * are named or {@code *} is, else one from a named origin. A request without Origin (not from a
   * browser) is always served.
   */
  public boolean permits(String origin) {
    Objects.requireNonNull(origin, "origin");
    return !enabled() || origins.contains("*") || origins.contains(origin);
  }

  /** The value for {@code Access-Control-Allow-Origin} answering {@code origin}; empty when it is not allowed. */
  public Optional<String> allowOriginFor(String origin) {
    Objects.requireNonNull(origin, "origin");
    if (!enabled()) {
      return Optional.empty();
    }
    if (origins.contains("*")) {
      return Optional.of(credentials ? origin : "*");
    }
    return origins.contains(origin) ? Optional.of(origin) : Optional.empty();
  }
}
