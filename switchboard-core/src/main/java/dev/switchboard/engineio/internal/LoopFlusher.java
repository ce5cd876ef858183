package dev.switchboard.engineio.internal;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Coalesces flushes: sessions written during one event-loop turn are flushed once, together, by
 * a single task that runs after the tasks already queued. Messages that pile up for the same
 * session in that turn leave in one write. With a write delay, the task runs that much later
 * instead, so that messages of several turns share the write.
 */
final class LoopFlusher implements Runnable {
  private static final FastThreadLocal<LoopFlusher> CURRENT = new FastThreadLocal<>() {
    @Override
    protected LoopFlusher initialValue() {
      return new LoopFlusher();
    }
  };

  private ArrayList<RealEngineSession> dirty = new ArrayList<>();
  private ArrayList<RealEngineSession> spare = new ArrayList<>();
  private boolean scheduled;

  /** Marks {@code session} for flushing after {@code delayNanos}; call on the session's event loop only. */
  static void mark(RealEngineSession session, long delayNanos) {
    CURRENT.get().add(session, delayNanos);
  }

  private void add(RealEngineSession session, long delayNanos) {
    dirty.add(session);
    if (!scheduled) {
      scheduled = true;
      if (delayNanos == 0) {
        session.executor().execute(this);
      } else {
        session.executor().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
      }
    }
  }

  @Override
  public void run() {
    ArrayList<RealEngineSession> batch = dirty;
    dirty = spare;
    spare = batch;
    scheduled = false;
    for (int i = 0, n = batch.size(); i < n; i++) {
      batch.get(i).flushNow();
    }
    batch.clear();
  }
}
