package dev.switchboard.auth.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.RoomAction;
import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.auth.RoomDecision;
import dev.switchboard.auth.VerifiedToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RoomAuthorizer#webhook}: asks the backend with the JDK HttpClient asynchronously (the
 * caller's thread never waits), caches answers for a TTL, shares one request among concurrent
 * identical questions, and never caches a failure.
 */
public final class WebhookAuthorizer implements RoomAuthorizer {
  private static final Logger log = LoggerFactory.getLogger(WebhookAuthorizer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Most answers kept; beyond it expired ones are dropped, then all. */
  static final int MAX_CACHED = 100_000;

  private record Key(String subject, String room, RoomAction action) {}

  private record Cached(CompletableFuture<RoomDecision> decision, long expiresAtNanos) {}

  private final URI url;
  private final Duration timeout;
  private final long ttlNanos;
  private final HttpClient http;
  private final ConcurrentHashMap<Key, Cached> cache = new ConcurrentHashMap<>();

  public WebhookAuthorizer(URI url, Duration timeout, Duration cacheTtl) {
    this.url = url;
    this.timeout = timeout;
    this.ttlNanos = cacheTtl.toNanos();
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public CompletableFuture<RoomDecision> authorize(VerifiedToken principal, String room, RoomAction action) {
    Key key = new Key(principal.subject(), room, action);
    long now = System.nanoTime();
    Cached cached = cache.get(key);
    if (cached != null && (!cached.decision().isDone() || now - cached.expiresAtNanos() < 0)) {
      return cached.decision();
    }
    if (cache.size() >= MAX_CACHED) {
      cache.values().removeIf(entry -> entry.decision().isDone() && now - entry.expiresAtNanos() >= 0);
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
    }
    CompletableFuture<RoomDecision> asked = ask(principal, room, action);
    Cached entry = new Cached(asked, now + ttlNanos);
    cache.put(key, entry);
    asked.thenAccept(decision -> {
      if (decision.error().equals(Optional.of(AuthError.AUTHZ_UNAVAILABLE))) {
        cache.remove(key, entry);
      }
    });
    return asked;
  }

  private CompletableFuture<RoomDecision> ask(VerifiedToken principal, String room, RoomAction action) {
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("room", room, "action", action.wireName(),
          "principal", Map.of("sub", principal.subject(), "claims", principal.claims())));
    } catch (Exception e) {
      return CompletableFuture.completedFuture(unavailable("the request could not be encoded"));
    }
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> {
          if (response.statusCode() != 200) {
            log.warn("authorization webhook {} answered {}", url, response.statusCode());
            return unavailable("the authorization service answered " + response.statusCode());
          }
          try {
            JsonNode answer = JSON.readTree(response.body());
            JsonNode allow = answer == null ? null : answer.get("allow");
            if (allow == null || !allow.isBoolean()) {
              return unavailable("the authorization service answered without {allow: boolean}");
            }
            if (allow.booleanValue()) {
              return RoomDecision.ALLOW;
            }
            JsonNode message = answer.get("message");
            return RoomDecision.forbidden(message != null && message.isTextual() ? message.textValue()
                : "not allowed to " + action.wireName() + " in \"" + room + "\"");
          } catch (Exception e) {
            return unavailable("the authorization service answered something that is not JSON");
          }
        })
        .exceptionally(error -> {
          log.warn("authorization webhook {} failed: {}", url, error.toString());
          return unavailable("the authorization service could not be reached");
        });
  }

  private static RoomDecision unavailable(String message) {
    return RoomDecision.deny(AuthError.AUTHZ_UNAVAILABLE, message);
  }
}
