package dev.switchboard.bench.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/** A count bumped from event loops, with a bounded wait for it to reach a target. */
public final class Counter {
  private final LongAdder count = new LongAdder();

  public void increment() {
    count.increment();
  }

  public long value() {
    return count.sum();
  }

  /** Waits until the count reaches {@code target} or {@code maxSeconds} pass; returns the count. */
  public long awaitAtLeast(long target, double maxSeconds) {
    long deadline = System.nanoTime() + (long) (maxSeconds * TimeUnit.SECONDS.toNanos(1));
    long value;
    while ((value = count.sum()) < target && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
    return value;
  }
}
