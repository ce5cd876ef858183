package dev.switchboard.auth.internal;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.AuthException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON Web Key Set behind a URL, fetched asynchronously with the JDK HttpClient (never on the
 * caller's thread), refreshed periodically, and fetched again early when a token names an
 * unknown {@code kid} (at most once per {@code minRefetch}). A failed fetch keeps the last good
 * set, so a flaky endpoint does not lock users out.
 */
final class RemoteJwks implements KeySource {
  private static final Logger log = LoggerFactory.getLogger(RemoteJwks.class);

  private final URI url;
  private final Duration timeout;
  private final long minRefetchNanos;
  private final HttpClient http;
  private final ScheduledExecutorService refresher;
  private volatile List<JWK> keys;
  private CompletableFuture<List<JWK>> inFlight;
  private long lastFetchNanos;
  private boolean fetchedOnce;

  RemoteJwks(URI url, Duration refresh, Duration minRefetch, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    this.minRefetchNanos = minRefetch.toNanos();
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("jwks-refresh").factory());
    refresher.scheduleWithFixedDelay(() -> fetch(true), 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public CompletableFuture<List<JWK>> candidates(JWSHeader header) {
    List<JWK> current = keys;
    if (current != null) {
      List<JWK> fit = KeyMatch.select(current, header);
      String kid = header.getKeyID();
      boolean unknownKid = kid != null && !KeyMatch.knows(current, kid);
      if (!unknownKid || !mayRefetch()) {
        return CompletableFuture.completedFuture(fit);
      }
    }
    return fetch(false).handle((fetched, error) -> {
      List<JWK> now = keys;
      if (now == null) {
        throw new AuthException(AuthError.AUTH_UNAVAILABLE, "signing keys could not be fetched from the JWKS URL");
      }
      return KeyMatch.select(now, header);
    });
  }

  private synchronized boolean mayRefetch() {
    return !fetchedOnce || System.nanoTime() - lastFetchNanos >= minRefetchNanos
        || (inFlight != null && !inFlight.isDone());
  }

  /** Starts a fetch, or joins the one under way; {@code scheduled} fetches ignore the rate limit. */
  synchronized CompletableFuture<List<JWK>> fetch(boolean scheduled) {
    if (inFlight != null && !inFlight.isDone()) {
      return inFlight;
    }
    if (!scheduled && fetchedOnce && System.nanoTime() - lastFetchNanos < minRefetchNanos) {
      return CompletableFuture.completedFuture(keys);
    }
    fetchedOnce = true;
    lastFetchNanos = System.nanoTime();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build();
    CompletableFuture<List<JWK>> fetch = http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException("JWKS URL answered " + response.statusCode());
          }
          try {
            return JWKSet.parse(response.body()).toPublicJWKSet().getKeys();
          } catch (ParseException e) {
            throw new IllegalStateException("JWKS URL answered something that is not a key set: " + e.getMessage());
          }
        })
        .whenComplete((fetched, error) -> {
          if (error != null) {
            log.warn("fetching the JWKS from {} failed (keeping {} known keys): {}", url,
                keys == null ? 0 : keys.size(), error.getMessage());
          } else {
            keys = List.copyOf(fetched);
            log.debug("JWKS from {}: {} keys", url, fetched.size());
          }
        });
    inFlight = fetch;
    return fetch;
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    http.shutdownNow();
  }
}
