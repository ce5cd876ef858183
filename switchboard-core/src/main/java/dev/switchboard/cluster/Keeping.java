package dev.switchboard.cluster;

import dev.switchboard.history.HistoryRule;
import dev.switchboard.socketio.ConnectionStateRecovery;
import java.time.Duration;
import java.util.Optional;

/**
 * Which shared streams keep a broadcast.
 *
 * @param history the rule of the broadcast's only room when that room keeps history (its
 *     {@link HistoryRule#maxBytes()} bounds the room's stream)
 * @param recoveryWindow how long the namespace's recovery stream keeps it, when connection state
 *     recovery is on
 * @param thisNodeOnly whether it is for a socket of the publishing node only (its own room), so
 *     no other node needs it
 * @param recoveryMaxBytes most bytes a recovery stream keeps ({@link ConnectionStateRecovery#maxBytes()})
 */
public record Keeping(Optional<HistoryRule> history, Optional<Duration> recoveryWindow, boolean thisNodeOnly,
    long recoveryMaxBytes) {
  public Keeping {
    if (recoveryMaxBytes <= 0) {
      throw new IllegalArgumentException("recoveryMaxBytes must be positive");
    }
  }
}
