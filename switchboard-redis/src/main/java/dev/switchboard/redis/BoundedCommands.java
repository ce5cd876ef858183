package dev.switchboard.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The one way commands are sent: asynchronously, at most {@code maxPending} waiting, failures
 * counted in {@link RedisHealth} and never thrown; a timed-out one tells the {@link StallWatch}.
 */
final class BoundedCommands {
  private final RedisClusterAsyncCommands<byte[], byte[]> commands;
  private final int maxPending;
  private final RedisHealth health;
  private final StallWatch stalls;
  private final BooleanSupplier open;
  private final AtomicInteger pending = new AtomicInteger();

  BoundedCommands(RedisClusterAsyncCommands<byte[], byte[]> commands, int maxPending, RedisHealth health,
      StallWatch stalls, BooleanSupplier open) {
    this.commands = commands;
    this.maxPending = maxPending;
    this.health = health;
    this.stalls = stalls;
    this.open = open;
  }

  /** Sends a command without waiting; completes exceptionally when it failed or was dropped. */
  <T> CompletableFuture<T> send(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      health.dropped();
      return CompletableFuture.failedFuture(new NotSent(new RejectedExecutionException("too many commands waiting for Redis")));
    }
    RedisFuture<T> future;
    long sentAt = System.nanoTime();
    try {
      future = command.apply(commands);
    } catch (RuntimeException e) {
      pending.decrementAndGet();
      health.failed(e);
      return CompletableFuture.failedFuture(new NotSent(e));
    }
    CompletableFuture<T> result = future.toCompletableFuture();
    if (result.isCompletedExceptionally()) {
      // Refused at once (no connection): it never left this node.
      pending.decrementAndGet();
      Throwable error = result.handle((value, failure) -> failure).join();
      if (open.getAsBoolean()) {
        health.failed(error);
      }
      return CompletableFuture.failedFuture(new NotSent(error));
    }
    return result.whenComplete((value, error) -> {
      pending.decrementAndGet();
      if (error == null) {
        health.answered(System.nanoTime() - sentAt);
        health.ok();
      } else if (open.getAsBoolean()) {
        health.failed(error);
        stalls.failed(error, sentAt);
      }
    });
  }

  /** Whether {@code error} says that Redis never got the command, so it cannot run later. */
  static boolean notSent(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof NotSent;
  }

  /** A command that failed before it was sent: Redis never got it. */
  static final class NotSent extends RuntimeException {
    NotSent(Throwable cause) {
      super("not sent to Redis: " + cause, cause, false, false);
    }
  }
}
