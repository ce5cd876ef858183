package dev.switchboard.cluster;

import dev.switchboard.history.HistoryRule;
import java.time.Duration;
import java.util.Optional;

/**
 * Which shared streams keep a broadcast.
 *
 * @param history the rule of the broadcast's only room when that room keeps history
 * @param recoveryWindow how long the namespace's recovery stream keeps it, when connection state
 *     recovery is on
 * @param thisNodeOnly whether it is for a socket of the publishing node only (its own room), so
 *     no other node needs it
 */
public record Keeping(Optional<HistoryRule> history, Optional<Duration> recoveryWindow, boolean thisNodeOnly) {}
