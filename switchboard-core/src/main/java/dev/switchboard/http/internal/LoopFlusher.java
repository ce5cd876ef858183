package dev.switchboard.http.internal;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces flushes: connections written during one event-loop turn are flushed once, together,
 * by a single task that runs after the tasks already queued. Messages that pile up for the same
 * connection in that turn leave in one write. With a write delay, the task runs that much later
 * instead, so that messages of several turns share the write. WebSocket sessions and SSE streams
 * of a loop share its task; what waits for a write delay has a task of its own, so that a delay
 * never holds back (nor is cut short by) what is flushed at once.
 */
public final class LoopFlusher implements Runnable {
  /** Something written on an event loop whose flush can wait for the end of the loop's turn. */
  public interface Target {
    /** Flushes what was written since the last flush; on {@link #executor()}. */
    void flushNow();

    EventExecutor executor();
  }

  private static final FastThreadLocal<LoopFlusher> AT_ONCE = new Flushers();
  private static final FastThreadLocal<LoopFlusher> DELAYED = new Flushers();

  private static final class Flushers extends FastThreadLocal<LoopFlusher> {
    @Override
    protected LoopFlusher initialValue() {
      return new LoopFlusher();
    }
  }

  private ArrayList<Target> dirty = new ArrayList<>();
  private ArrayList<Target> spare = new ArrayList<>();
  private boolean scheduled;

  private LoopFlusher() {}

  /**
   * Marks {@code target} for flushing after {@code delayNanos}; call on the target's event loop
   * only, and once until its {@link Target#flushNow()} runs.
   */
  public static void mark(Target target, long delayNanos) {
    (delayNanos == 0 ? AT_ONCE : DELAYED).get().add(target, delayNanos);
  }

  private void add(Target target, long delayNanos) {
    dirty.add(target);
    if (!scheduled) {
      scheduled = true;
      if (delayNanos == 0) {
        target.executor().execute(this);
      } else {
        target.executor().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  @Override
  public void run() {
    ArrayList<Target> batch = dirty;
    dirty = spare;
    spare = batch;
    scheduled = false;
    for (int i = 0, n = batch.size(); i < n; i++) {
      batch.get(i).flushNow();
    }
    batch.clear();
  }
}
