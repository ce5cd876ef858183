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
 */
public record ConnectionStateRecovery(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
  /** Node's defaults: two minutes, middlewares skipped. */
  public static final ConnectionStateRecovery DEFAULTS = new ConnectionStateRecovery(Duration.ofMinutes(2), true);
  /** Most packets kept per namespace for recovery; older ones are dropped first (their sessions then start afresh). */
  public static final int MAX_KEPT_PACKETS = 100_000;

  public ConnectionStateRecovery {
    Objects.requireNonNull(maxDisconnectionDuration, "maxDisconnectionDuration");
    if (maxDisconnectionDuration.isNegative() || maxDisconnectionDuration.isZero()) {
      throw new IllegalArgumentException("maxDisconnectionDuration must be positive");
    }
  }
}
