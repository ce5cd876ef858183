package dev.switchboard.auth.internal;

import dev.switchboard.auth.AuthError;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/**
 * Clients refused for an {@link AuthError}, counted by code and transport as
 * {@code switchboard.auth.failures}. Plain counters: a second server registering in the same
 * registry counts into the same ones.
 */
public final class AuthFailures {
  /** Counts nothing. */
  public static final AuthFailures NONE = new AuthFailures(new Counter[0]);

  /** By {@link AuthError#ordinal()}; empty for {@link #NONE}. */
  private final Counter[] counters;

  private AuthFailures(Counter[] counters) {
    this.counters = counters;
  }

  /** The failures of {@code transport} ("socketio" or "sse") in {@code registry}, or {@link #NONE}. */
  public static AuthFailures in(Optional<MeterRegistry> registry, String transport) {
    return registry.map(r -> {
      Counter[] counters = new Counter[AuthError.values().length];
      for (AuthError error : AuthError.values()) {
        counters[error.ordinal()] = Counter.builder("switchboard.auth.failures")
            .description("Clients refused for an authentication or authorization error, by code.")
            .tags("code", error.name(), "transport", transport).register(r);
      }
      return new AuthFailures(counters);
    }).orElse(NONE);
  }

  public void count(AuthError error) {
    if (counters.length > 0) {
      counters[error.ordinal()].increment();
    }
  }
}
