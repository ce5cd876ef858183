package dev.switchboard.limits;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Limits on what clients send once connected. An event over its rate is refused with the error
 * code {@code RATE_LIMITED} (in its acknowledgement, or an {@code error} event when it has none);
 * a client refused more than {@code disconnectAfterRefusals} times within ten seconds is
 * disconnected ({@code rate limit exceeded}).
 *
 * @param perSocket events per socket (empty: no limit)
 * @param perUser events per user, over all their connections (empty: no limit)
 * @param perEvent limits for single event names, per socket, instead of {@code perSocket}
 * @param disconnectAfterRefusals refusals within ten seconds that end the connection
 * @param maxConnectionsPerUser most connections of one user (0: no cap)
 * @param exempt event names these limits do not count, neither per socket nor per user, because
 *     their handlers limit them in their own way (as WebRTC signaling does, whose ICE candidates
 *     come in bursts)
 */
public record EventLimits(Optional<RateLimit> perSocket, Optional<RateLimit> perUser, Map<String, RateLimit> perEvent,
    int disconnectAfterRefusals, int maxConnectionsPerUser, Set<String> exempt) {
  /** Window in which refusals are counted. */
  public static final long REFUSAL_WINDOW_NANOS = 10_000_000_000L;
  public static final EventLimits NONE = new EventLimits(Optional.empty(), Optional.empty(), Map.of(), 0, 0);

  /** Limits that count every event. */
  public EventLimits(Optional<RateLimit> perSocket, Optional<RateLimit> perUser, Map<String, RateLimit> perEvent,
      int disconnectAfterRefusals, int maxConnectionsPerUser) {
    this(perSocket, perUser, perEvent, disconnectAfterRefusals, maxConnectionsPerUser, Set.of());
  }

  public EventLimits {
    perEvent = Map.copyOf(perEvent);
    exempt = Set.copyOf(exempt);
    if (disconnectAfterRefusals < 0 || maxConnectionsPerUser < 0) {
      throw new IllegalArgumentException("limits must not be negative");
    }
  }

  /** These limits, not counting the events named {@code events} besides those already exempt. */
  public EventLimits withExempt(Collection<String> events) {
    Set<String> all = new HashSet<>(exempt);
    all.addAll(events);
    return new EventLimits(perSocket, perUser, perEvent, disconnectAfterRefusals, maxConnectionsPerUser, all);
  }

  public boolean limitsEvents() {
    return perSocket.isPresent() || perUser.isPresent() || !perEvent.isEmpty();
  }
}
