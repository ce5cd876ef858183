package dev.switchboard.bench.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Opens {@code count} connections at {@code perSecond}, at most {@code maxPending} handshakes in
 * flight, spread round-robin over the nodes (the {@code i}th goes to node {@code i % nodes}, so a
 * single connection goes to the first node), and waits (bounded) for all of them. Failures are
 * counted, not thrown.
 */
public final class ConnectionRamp {
  private static final long PENDING_WAIT_SECONDS = 30;

  private final ClientGroup group;

  public ConnectionRamp(ClientGroup group) {
    this.group = group;
  }

  public record Result<T>(List<T> connections, int failed, long elapsedNanos) {}

  /** Socket.IO connections, the {@code i}th with {@code listeners.apply(i)}. */
  public Result<SioConnection> open(int count, double perSecond, int maxPending, IntFunction<SioListener> listeners) {
    return ramp(count, perSecond, maxPending, i -> group.connect(i % group.nodes(), listeners.apply(i)));
  }

  /** EventSource streams at {@code pathAndQuery}, all reporting to {@code listener}. */
  public Result<SseConnection> openStreams(int count, double perSecond, int maxPending, String pathAndQuery,
      SseListener listener) {
    return ramp(count, perSecond, maxPending, i -> group.stream(i % group.nodes(), pathAndQuery, listener));
  }

  private static <T> Result<T> ramp(int count, double perSecond, int maxPending, IntFunction<CompletableFuture<T>> connect) {
    List<CompletableFuture<T>> futures = new ArrayList<>(count);
    Semaphore pending = new Semaphore(maxPending);
    long start = System.nanoTime();
    long interval = perSecond > 0 ? (long) (1e9 / perSecond) : 0;
    for (int i = 0; i < count; i++) {
      long due = start + i * interval;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      try {
        if (!pending.tryAcquire(PENDING_WAIT_SECONDS, TimeUnit.SECONDS)) {
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      CompletableFuture<T> future = connect.apply(i);
      future.whenComplete((c, e) -> pending.release());
      futures.add(future);
    }
    List<T> open = new ArrayList<>(count);
    int failed = count - futures.size();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PENDING_WAIT_SECONDS);
    for (CompletableFuture<T> future : futures) {
      try {
        open.add(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (Exception e) {
        failed++;
      }
    }
    return new Result<>(open, failed, System.nanoTime() - start);
  }
}
