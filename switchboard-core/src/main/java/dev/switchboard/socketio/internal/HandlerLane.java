package dev.switchboard.socketio.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one socket's handlers on the server's handler executor, one at a time and in the order
 * they were offered, so a handler may block without holding the event loop and a socket's events
 * never overtake each other. At most {@code capacity} handlers wait; one task drains the lane, so
 * an idle socket holds no thread. Thread-safe.
 */
final class HandlerLane implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(HandlerLane.class);

  private final Executor executor;
  private final int capacity;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  /** Tasks queued or running. */
  private final AtomicInteger size = new AtomicInteger();
  /** The thread draining the lane now; null while idle. */
  private volatile Thread runner;
  /** Whether a task of the executor drains the lane now. */
  private final AtomicBoolean draining = new AtomicBoolean();

  HandlerLane(Executor executor, int capacity) {
    this.executor = executor;
    this.capacity = capacity;
  }

  /** Queues {@code task} unless {@code capacity} handlers already wait; false when it was refused. */
  boolean offer(Runnable task) {
    int now;
    do {
      now = size.get();
      if (now >= capacity) {
        return false;
      }
    } while (!size.compareAndSet(now, now + 1));
    enqueue(task);
    return true;
  }

  /**
   * Queues {@code task} whatever the backlog: for what the server itself owes the handlers, once
   * per socket or per emit of its own (disconnection, an ack answer), never per client event.
   */
  void force(Runnable task) {
    size.incrementAndGet();
    enqueue(task);
  }

  /** Handlers waiting or running. */
  int backlog() {
    return size.get();
  }

  Executor executor() {
    return executor;
  }

  int capacity() {
    return capacity;
  }

  private void enqueue(Runnable task) {
    tasks.add(task);
    if (draining.compareAndSet(false, true)) {
      try {
        executor.execute(this);
      } catch (RejectedExecutionException e) {
        log.warn("the handler executor refused work (shut down?): {} handlers dropped", size.get());
        tasks.clear();
        size.set(0);
        draining.set(false);
      }
    }
  }

  /** Whether the calling thread is running one of this lane's handlers. */
  boolean current() {
    return runner == Thread.currentThread();
  }

  @Override
  public void run() {
    runner = Thread.currentThread();
    while (true) {
      Runnable task = tasks.poll();
      if (task == null) {
        runner = null;
        draining.set(false);
        // A task added between the poll and the reset found the lane draining: take it over.
        if (tasks.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
        runner = Thread.currentThread();
        continue;
      }
      try {
        task.run();
      } catch (Throwable e) {
        // Handlers report their own failures; whatever escapes must not stop the socket's lane.
        log.warn("a handler failed", e);
      } finally {
        size.decrementAndGet();
      }
    }
  }
}
