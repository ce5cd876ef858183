package dev.switchboard.socketio.internal;

import dev.switchboard.cluster.ConnectionCounter;
import dev.switchboard.limits.EventLimits;
import dev.switchboard.limits.TokenBucket;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-user side of {@link EventLimits}: how many connections each user has open and the
 * user's shared event budget. Thread-safe; a user's entry lives while they have a connection.
 * The connections are also counted over every node ({@link ConnectionCounter}); a single node's
 * counter admits every connection, this gate's count being the only one.
 */
final class EventGate {
  private final EventLimits limits;
  /** Counts over every node. */
  private final ConnectionCounter everyNode;
  private final ConcurrentHashMap<String, UserState> users = new ConcurrentHashMap<>();

  private static final class UserState {
    final Set<String> connections = ConcurrentHashMap.newKeySet();
    TokenBucket events;
  }

  EventGate(EventLimits limits, ConnectionCounter everyNode) {
    this.limits = limits;
    this.everyNode = everyNode;
  }

  /**
   * Counts {@code connectionId} for {@code userId} on every node (after {@link #admit} counted it
   * here); completes with true at once on a single node. Never fails: an unreachable store admits.
   */
  CompletableFuture<Boolean> admitOnEveryNode(String userId, String connectionId) {
    if (limits.maxConnectionsPerUser() == 0) {
      return CompletableFuture.completedFuture(true);
    }
    return everyNode.admit(userId, connectionId, limits.maxConnectionsPerUser()).exceptionally(error -> true);
  }

  EventLimits limits() {
    return limits;
  }

  /** Counts {@code connectionId} for {@code userId}; false when that would pass maxConnectionsPerUser. */
  boolean admit(String userId, String connectionId) {
    boolean[] refused = {false};
    users.compute(userId, (id, state) -> {
      UserState current = state == null ? new UserState() : state;
      int max = limits.maxConnectionsPerUser();
      if (!current.connections.contains(connectionId) && max > 0 && current.connections.size() >= max) {
        refused[0] = true;
        return current.connections.isEmpty() ? null : current;
      }
      current.connections.add(connectionId);
      return current;
    });
    return !refused[0];
  }

  void release(String userId, String connectionId) {
    everyNode.release(userId, connectionId);
    users.computeIfPresent(userId, (id, state) -> {
      state.connections.remove(connectionId);
      return state.connections.isEmpty() ? null : state;
    });
  }

  /** Takes one event from {@code userId}'s shared budget. */
  boolean allowUserEvent(String userId, long nowNanos) {
    if (limits.perUser().isEmpty()) {
      return true;
    }
    UserState state = users.get(userId);
    if (state == null) {
      return true;
    }
    synchronized (state) {
      if (state.events == null) {
        state.events = new TokenBucket(limits.perUser().get(), nowNanos);
      }
      return state.events.tryTake(nowNanos);
    }
  }
}
