package dev.switchboard.bench.scenario;

import dev.switchboard.bench.load.Counter;
import dev.switchboard.bench.load.Latency;

/**
 * What subscribers received: every delivery is counted, and those stamped inside the open
 * measurement window also count towards the window and its latencies. Fed from event loops.
 */
final class DeliveryWindow {
  private final Latency latency = new Latency();
  private final Counter inWindow = new Counter();
  private final Counter all = new Counter();
  private volatile long start = Long.MAX_VALUE;

  /** One delivery of a message stamped {@code stamp} (nanoTime), received now. */
  void record(long stamp) {
    long now = System.nanoTime();
    all.increment();
    if (stamp >= start) {
      latency.record(now - stamp);
      inWindow.increment();
    }
  }

  /** Opens a window from now: later stamps count; returns the window count so far (its base). */
  long open() {
    latency.reset();
    start = System.nanoTime();
    return inWindow.value();
  }

  Latency latency() {
    return latency;
  }

  /** Deliveries stamped inside windows. */
  Counter inWindow() {
    return inWindow;
  }

  /** Every delivery, warm-up and late ones included. */
  Counter all() {
    return all;
  }
}
