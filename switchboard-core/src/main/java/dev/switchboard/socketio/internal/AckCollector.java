package dev.switchboard.socketio.internal;

import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gathers the acknowledgements of a broadcast: complete when every targeted socket answered,
 * failed with the partial answers at the timeout. Sockets answer from many event loops.
 */
final class AckCollector {
  private final CompletableFuture<List<Args>> result = new CompletableFuture<>();
  private final List<Args> received = new ArrayList<>();
  private final List<Runnable> onTimeout = new ArrayList<>();
  private final ScheduledFuture<?> timer;
  private int partsPending;
  private int expected;

  AckCollector(int parts, Duration timeout, String event) {
    this.partsPending = parts;
    this.timer = GlobalEventExecutor.INSTANCE.schedule(() -> expire(event, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
    result.whenComplete((r, e) -> timer.cancel(false));
    if (parts == 0) {
      // Nothing to broadcast to (a dynamic namespace family without children): nobody to wait for.
      result.complete(List.of());
    }
  }

  CompletableFuture<List<Args>> result() {
    return result;
  }

  /** One part of the broadcast (one namespace) reached {@code sockets} sockets. */
  synchronized void partDone(int sockets) {
    partsPending--;
    expected += sockets;
    check();
  }

  synchronized void receive(Args args) {
    received.add(args);
    check();
  }

  /** What to undo at the timeout (forgetting the ack ids registered on sockets). */
  synchronized void onTimeout(Runnable cleanup) {
    onTimeout.add(cleanup);
  }

  private void check() {
    if (partsPending == 0 && received.size() >= expected) {
      result.complete(List.copyOf(received));
    }
  }

  private void expire(String event, Duration timeout) {
    List<Args> partial;
    List<Runnable> cleanups;
    synchronized (this) {
      if (result.isDone()) {
        return;
      }
      partial = List.copyOf(received);
      cleanups = List.copyOf(onTimeout);
    }
    cleanups.forEach(Runnable::run);
    result.completeExceptionally(new AckTimeoutException("only " + partial.size() + " of " + expected
        + " acknowledgements for \"" + event + "\" within " + timeout.toMillis() + " ms", partial));
  }
}
