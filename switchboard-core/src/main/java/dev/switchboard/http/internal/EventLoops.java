package dev.switchboard.http.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.Executor;

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
}
