package dev.switchboard.server.chat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Counts the answers streaming now, and tells when none is left. Thread-safe. */
final class OpenAnswers {
  private int open;
  /** Completes when {@link #open} falls back to zero; already complete while it is zero. */
  private CompletableFuture<Void> none = CompletableFuture.completedFuture(null);

  synchronized void started() {
    if (open++ == 0) {
      none = new CompletableFuture<>();
    }
  }

  void ended() {
    CompletableFuture<Void> finished = null;
    synchronized (this) {
      if (--open == 0) {
        finished = none;
      }
    }
    if (finished != null) {
      finished.complete(null);
    }
  }

  /** {@code true} once none is open, or {@code false} after {@code timeLeft}. */
  CompletionStage<Boolean> finished(Duration timeLeft) {
    CompletableFuture<Void> current;
    synchronized (this) {
      current = none;
    }
    return current.thenApply(done -> true).completeOnTimeout(false, timeLeft.toNanos(), TimeUnit.NANOSECONDS);
  }
}
