package dev.switchboard.server;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one socket's requests in arrival order when some wait for an asynchronous decision (a
 * webhook): a publish sent right after a join is checked once the join has taken effect. Steps
 * run on the socket's event loop; an idle queue runs a step at once.
 */
final class InOrder {
  private static final Logger log = LoggerFactory.getLogger(InOrder.class);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Executor loop;
  /** The last step's completion; touched on the loop only. */
  private CompletableFuture<?> tail = DONE;

  InOrder(Executor loop) {
    this.loop = loop;
  }

  /** Runs {@code step} after the previous steps; its future completes when its effects are applied. */
  void run(Supplier<CompletableFuture<?>> step) {
    if (tail.isDone()) {
      tail = start(step);
    } else {
      tail = tail.handle((done, error) -> null).thenComposeAsync(ignored -> start(step), loop);
    }
  }

  private static CompletableFuture<?> start(Supplier<CompletableFuture<?>> step) {
    try {
      return step.get().exceptionally(error -> {
        log.warn("request failed", error);
        return null;
      });
    } catch (RuntimeException e) {
      log.warn("request failed", e);
      return DONE;
    }
  }
}
