package dev.switchboard.socketio;

import java.time.Duration;
import java.util.Objects;

/**
 * Connection state recovery, as in Node's socket.io 4.6+: a client that loses its connection
 * and comes back within {@code maxDisconnectionDuration} gets the same socket id, rooms and
 * {@code socket.data}, receives the packets it missed in order, and sees {@code socket.recovered}.
 * When on, every event packet carries its offset as a last argument, as the official client expects.
 *
 * @param maxDisconnectionDuration how long a lost session and the packets it may miss are kept
 * @param skipMiddlewares whether a recovered socket skips the middlewares
 * @param maxBytes most bytes of packets kept per namespace (payloads plus a small overhead per
 *     packet); the oldest go first, and a client that missed one of them gets a fresh session
 */
public record ConnectionStateRecovery(Duration maxDisconnectionDuration, boolean skipMiddlewares, long maxBytes) {
  /** Default {@link #maxBytes()}: 16 MiB per namespace. */
  public static final long DEFAULT_MAX_BYTES = 16L << 20;
  /** Node's defaults (two minutes, middlewares skipped), keeping at most {@link #DEFAULT_MAX_BYTES}. */
  public static final ConnectionStateRecovery DEFAULTS = new ConnectionStateRecovery(Duration.ofMinutes(2), true);

  /** Recovery keeping at most {@link #DEFAULT_MAX_BYTES} per namespace. */
  public ConnectionStateRecovery(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
    this(maxDisconnectionDuration, skipMiddlewares, DEFAULT_MAX_BYTES);
  }
  /** Most packets kept per namespace for recovery; older ones are dropped first (their sessions then start afresh). */
  public static final int MAX_KEPT_PACKETS = 100_000;

  public ConnectionStateRecovery {
    Objects.requireNonNull(maxDisconnectionDuration, "maxDisconnectionDuration");
    if (maxDisconnectionDuration.isNegative() || maxDisconnectionDuration.isZero()) {
      throw new IllegalArgumentException("maxDisconnectionDuration must be positive");
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be positive");
    }
  }
}
