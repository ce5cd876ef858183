package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Bounded waits for queues and futures. */
public final class Await {
  public static final Duration TIMEOUT = ClientRecorder.DEFAULT_TIMEOUT;

  private Await() {}

  /** The next element of {@code queue}, failing after {@link #TIMEOUT}. */
  public static <T> T take(BlockingQueue<T> queue) {
    try {
      T value = queue.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (value == null) {
        fail("nothing arrived within " + TIMEOUT.toMillis() + " ms");
      }
      return value;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The value of {@code future}, failing if it fails or takes longer than {@link #TIMEOUT}. */
  public static <T> T result(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("future not complete after " + TIMEOUT.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The exception {@code future} fails with, failing if it succeeds or takes too long. */
  public static Throwable failure(CompletableFuture<?> future) {
    try {
      Object value = future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected a failure but the future completed with " + value);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("future not complete after " + TIMEOUT.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
