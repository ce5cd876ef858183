package dev.switchboard.server;

import dev.switchboard.socketio.Event;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs one socket's requests in arrival order when some wait for an asynchronous decision (a
 * webhook): a publish sent right after a join is checked once the join has taken effect. Steps
 * run on the socket's event loop; an idle queue runs a step at once. A step that fails answers its
 * request with {@code INTERNAL} ({@link RequestFailures}) and the next one runs.
 */
final class InOrder {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final Executor loop;
  /** The last step's completion; touched on the loop only. */
  private CompletableFuture<?> tail = DONE;

  InOrder(Executor loop) {
    this.loop = loop;
  }

  /**
   * Runs {@code step}, the handler of {@code event}, after the previous steps; its future completes
   * when its effects are applied.
   */
  void run(Event event, Supplier<CompletableFuture<?>> step) {
    if (tail.isDone()) {
      tail = RequestFailures.guarded(event, step);
    } else {
      tail = tail.handle((done, error) -> null).thenComposeAsync(ignored -> RequestFailures.guarded(event, step), loop);
    }
  }
}
