package dev.switchboard.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * On a Redis Cluster, a publish that Redis refused or never got while a master's slots were moving
 * to its replica (this node's connection to the master lost, the cluster down until the promotion)
 * is sent again every {@link #RESEND_EVERY} for up to its window from the first try, instead of
 * failing at once: it goes through once the replica took over and every node subscribed there
 * again. A publish to a slot the {@link FailoverWatch} holds waits the same way before its first
 * try. Only a command that certainly did not run is sent again, so none runs twice; one still
 * refused or held when its window ends fails as before.
 */
final class FailoverResends {
  static final Duration RESEND_EVERY = Duration.ofMillis(100);
  /** How soon this node notices a lost connection: Lettuce's first reconnection attempt, plus a margin. */
  static final Duration NOTICED_WITHIN = Duration.ofMillis(500);

  private final ScheduledExecutorService timer;
  private final Optional<FailoverWatch> failovers;
  private final long windowNanos;

  /** {@code failovers}: the cluster's watch; none on one server, where nothing is sent again. */
  FailoverResends(ScheduledExecutorService timer, Optional<FailoverWatch> failovers, Duration window) {
    this.timer = timer;
    this.failovers = failovers;
    this.windowNanos = window.toNanos();
  }

  /**
   * Runs {@code attempt}, a command on {@code key}'s slot, once the slot is not held, and again
   * while it is refused during a failover, within the window.
   */
  <T> CompletableFuture<T> send(byte[] key, Supplier<CompletableFuture<T>> attempt) {
    CompletableFuture<T> result = new CompletableFuture<>();
    int slot = failovers.isPresent() ? SlotHash.getSlot(key) : -1;
    attempt(slot, attempt, result, System.nanoTime());
    return result;
  }

  private <T> void attempt(int slot, Supplier<CompletableFuture<T>> attempt, CompletableFuture<T> result, long first) {
    if (failovers.isPresent() && failovers.get().holds(slot) && later(slot, attempt, result, first)) {
      return;
    }
    attempt.get().whenComplete((value, error) -> {
      if (error == null) {
        result.complete(value);
      } else if (!(refused(error) && failingOver(first) && later(slot, attempt, result, first))) {
        result.completeExceptionally(error);
      }
    });
  }

  /**
   * Whether a command first tried at {@code first} may be refused because a master is failing
   * over: its slots are being followed, or, within {@link #NOTICED_WITHIN} of the first try, the
   * cluster has replicas (a lost connection is noticed only at Lettuce's first reconnection attempt).
   */
  private boolean failingOver(long first) {
    if (failovers.isEmpty()) {
      return false;
    }
    FailoverWatch watch = failovers.get();
    return watch.following() || System.nanoTime() - first < NOTICED_WITHIN.toNanos() && watch.replicated();
  }

  /** Tries again after {@link #RESEND_EVERY}, unless that is past the window; whether it will. */
  private <T> boolean later(int slot, Supplier<CompletableFuture<T>> attempt, CompletableFuture<T> result, long first) {
    if (System.nanoTime() - first + RESEND_EVERY.toNanos() >= windowNanos) {
      return false;
    }
    try {
      timer.schedule(() -> attempt(slot, attempt, result, first), RESEND_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (RejectedExecutionException closing) {
      return false;
    }
  }

  /**
   * Whether Redis certainly did not run the command: it never left this node, or the cluster
   * refused it while a slot had no master (CLUSTERDOWN) or was moving (TRYAGAIN).
   */
  static boolean refused(Throwable error) {
    if (BoundedCommands.notSent(error)) {
      return true;
    }
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof RedisCommandExecutionException refusal && refusal.getMessage() != null
        && (refusal.getMessage().startsWith("CLUSTERDOWN") || refusal.getMessage().startsWith("TRYAGAIN"));
  }
}
