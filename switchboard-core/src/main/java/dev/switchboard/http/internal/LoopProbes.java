package dev.switchboard.http.internal;

import io.micrometer.core.instrument.Timer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.SingleThreadEventExecutor;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * How late each event loop runs its work: a probe task scheduled on every loop at a fixed
 * interval records how long after its due time it ran (time the loop spent on other work, or a
 * listener blocking it), and the loop's queue of pending tasks is read when meters are scraped.
 * Ten tiny tasks a second per loop; only started for a server given a meter registry.
 */
public final class LoopProbes {
  /** How often each loop is probed. */
  static final Duration INTERVAL = Duration.ofMillis(100);

  private volatile boolean stopped;

  private LoopProbes() {}

  /** Registers the loops' meters and starts probing them. */
  public static LoopProbes start(EventExecutorGroup loops, Meters meters) {
    LoopProbes probes = new LoopProbes();
    int index = 0;
    for (EventExecutor loop : loops) {
      String tag = Integer.toString(index++);
      if (loop instanceof SingleThreadEventExecutor executor) {
        meters.gauge("switchboard.eventloop.tasks.pending", "", "Tasks waiting in the event loop's queue.",
            executor, SingleThreadEventExecutor::pendingTasks, "loop", tag);
      }
      meters.timer("switchboard.eventloop.lag", "How late a task scheduled on the event loop ran (probed every "
          + INTERVAL.toMillis() + " ms).", "loop", tag).ifPresent(lag -> probes.probe(loop, lag));
    }
    return probes;
  }

  private void probe(EventExecutor loop, Timer lag) {
    long interval = INTERVAL.toNanos();
    long due = System.nanoTime() + interval;
    try {
      loop.schedule(() -> {
        lag.record(Math.max(0, System.nanoTime() - due), TimeUnit.NANOSECONDS);
        if (!stopped) {
          probe(loop, lag);
        }
      }, interval, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // the loop is shutting down
    }
  }

  public void stop() {
    stopped = true;
  }
}
