package dev.switchboard.admin.internal;

import dev.switchboard.admin.AdminSessions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** {@link AdminSessions#inMemory()}: session ids with their expiry; expired ones are dropped on each login. */
public final class InMemoryAdminSessions implements AdminSessions {
  private final ConcurrentHashMap<String, Instant> expiries = new ConcurrentHashMap<>();
  private final Duration lifetime;
  private final Clock clock;

  public InMemoryAdminSessions(Duration lifetime, Clock clock) {
    this.lifetime = lifetime;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Void> save(String sessionId) {
    Instant now = clock.instant();
    expiries.values().removeIf(expiry -> !expiry.isAfter(now));
    expiries.put(sessionId, now.plus(lifetime));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Boolean> exists(String sessionId) {
    Instant expiry = expiries.get(sessionId);
    return CompletableFuture.completedFuture(expiry != null && expiry.isAfter(clock.instant()));
  }
}
