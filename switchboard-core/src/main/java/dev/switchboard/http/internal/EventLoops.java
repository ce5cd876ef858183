package dev.switchboard.http.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/** Running work on the event loop that owns some state. */
public final class EventLoops {
  private EventLoops() {}

  /**
   * Runs {@code task} now when called on {@code loop}, else queues it there: the task sees the
   * loop's state either way, and a caller already on the loop does not wait for a later turn.
   */
  public static void runOn(Executor loop, Runnable task) {
    if (loop instanceof EventExecutor executor && executor.inEventLoop()) {
      task.run();
    } else {
      loop.execute(task);
    }
  }

  /**
   * {@link #runOn(Executor, Runnable)} for work that is moot once {@code loop} shuts down, as its
   * connections close with it: from another thread, the task is dropped instead of refused then.
   */
  public static void runOnWhileUp(EventExecutor loop, Runnable task) {
    if (loop.inEventLoop()) {
      task.run();
    } else if (!loop.isShuttingDown()) {
      loop.execute(task);
    }
  }

  /**
   * {@link #runOn(Executor, Runnable)} for paths taken once per message: {@code task} is a method
   * reference that captures nothing (such as {@code Owner::writeOnLoop}) and gets its owner and
   * argument passed, so that a call already on the loop allocates nothing.
   */
  public static <T, A> void runOn(EventExecutor loop, BiConsumer<T, A> task, T owner, A argument) {
    if (loop.inEventLoop()) {
      task.accept(owner, argument);
    } else {
      loop.execute(() -> task.accept(owner, argument));
    }
  }

  /** {@link #runOn(EventExecutor, BiConsumer, Object, Object)} for a task of two arguments. */
  public static <T, A, B> void runOn(EventExecutor loop, OwnedTask<T, A, B> task, T owner, A first, B second) {
    if (loop.inEventLoop()) {
      task.run(owner, first, second);
    } else {
      loop.execute(() -> task.run(owner, first, second));
    }
  }

  /** Cancels {@code task}, a task scheduled on a loop, if there is one; a task already running completes. */
  public static void cancel(Future<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  /** A task on {@code owner}'s state taking two arguments. */
  @FunctionalInterface
  public interface OwnedTask<T, A, B> {
    void run(T owner, A first, B second);
  }
}
