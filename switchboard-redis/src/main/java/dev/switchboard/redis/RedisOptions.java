package dev.switchboard.redis;

import java.time.Duration;
import java.util.Objects;

/**
 * How a node uses Redis.
 *
 * @param uri where Redis is: {@code redis://localhost:6379}, or seeds of a Redis Cluster as in
 *     {@code redis-cluster://10.0.0.5:6379,10.0.0.6:6379} (its channels are then sharded)
 * @param keyPrefix prefix of every key and channel; clusters sharing one Redis need different ones
 * @param refreshInterval how often a node refreshes its heartbeat, presence and connection counts
 * @param entryTtl how long an entry lives without a refresh: a dead node's members are gone after it
 * @param handOverHold how long a member stays present after a stopping node handed their
 *     connection over for recovery elsewhere, unless another node takes it back: their client's
 *     time to reconnect, backoff included (socket.io-client waits 0.5 to 1.5 s, then 1 to 3 s…)
 * @param maxPending most messages waiting for Redis; more are dropped (and counted)
 * @param commandTimeout how long one command may take before it counts as failed: Redis is then
 *     taken as stalled and its connections are dropped and made again, as after an outage; a
 *     broadcast Redis gets after half of it is not carried (so it never arrives later than that)
 * @param wire the format broadcasts and server-side operations travel in between nodes
 * @param liveSessions whether, with connection state recovery on, each connected socket's
 *     recoverable state (ids, rooms, JSON data) is kept in Redis as it changes, so that its client
 *     recovers on another node also when its node dies without a word (SIGKILL, a lost machine);
 *     without it only sockets that disconnect while their node runs are kept
 */
public record RedisOptions(String uri, String keyPrefix, Duration refreshInterval, Duration entryTtl, Duration handOverHold,
    int maxPending, Duration commandTimeout, RedisWire wire, boolean liveSessions) {
  public RedisOptions {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(wire, "wire");
    if (refreshInterval.isNegative() || refreshInterval.isZero() || entryTtl.compareTo(refreshInterval.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException("entryTtl must be at least twice refreshInterval");
    }
    if (handOverHold.isNegative()) {
      throw new IllegalArgumentException("handOverHold must not be negative");
    }
    if (maxPending < 1) {
      throw new IllegalArgumentException("maxPending must be positive");
    }
    if (commandTimeout.toMillis() < 2) {
      throw new IllegalArgumentException("commandTimeout must be at least 2 ms");
    }
  }

  /** The default {@link #handOverHold}. */
  public static final Duration DEFAULT_HAND_OVER_HOLD = Duration.ofSeconds(15);

  /** The default {@link #commandTimeout}. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

  /**
   * Defaults: prefix {@code sb:}, refresh every 2 s, entries expire after 6 s, handed-over members
   * held 15 s, 10 000 pending, 2 s commands, Switchboard's own wire, live sessions kept.
   */
  public static RedisOptions of(String uri) {
    return new RedisOptions(uri, "sb:", Duration.ofSeconds(2), Duration.ofSeconds(6), DEFAULT_HAND_OVER_HOLD, 10_000,
        DEFAULT_COMMAND_TIMEOUT,
        RedisWire.switchboard(), true);
  }

  public RedisOptions withTimings(Duration refresh, Duration ttl) {
    return new RedisOptions(uri, keyPrefix, refresh, ttl, handOverHold, maxPending, commandTimeout, wire, liveSessions);
  }

  /** The same options with another {@link #commandTimeout}. */
  public RedisOptions withCommandTimeout(Duration timeout) {
    return new RedisOptions(uri, keyPrefix, refreshInterval, entryTtl, handOverHold, maxPending, timeout, wire, liveSessions);
  }

  /** The same options with another {@link #handOverHold}. */
  public RedisOptions withHandOverHold(Duration hold) {
    return new RedisOptions(uri, keyPrefix, refreshInterval, entryTtl, hold, maxPending, commandTimeout, wire, liveSessions);
  }

  /** The same options with another {@link #wire}. */
  public RedisOptions withWire(RedisWire wire) {
    return new RedisOptions(uri, keyPrefix, refreshInterval, entryTtl, handOverHold, maxPending, commandTimeout, wire, liveSessions);
  }

  /** The same options with {@link #liveSessions} on or off. */
  public RedisOptions withLiveSessions(boolean liveSessions) {
    return new RedisOptions(uri, keyPrefix, refreshInterval, entryTtl, handOverHold, maxPending, commandTimeout, wire, liveSessions);
  }

  /**
   * How late after it was sent Redis may still carry a broadcast: half the command timeout, so
   * that the answer of one it carried comes back before the command times out.
   */
  Duration publishDeadline() {
    return commandTimeout.dividedBy(2);
  }
}
