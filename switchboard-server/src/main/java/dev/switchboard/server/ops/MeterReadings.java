package dev.switchboard.server.ops;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Reads the server's own meters by name: the counters the event loops keep in per-loop slots,
 * summed only now, when a snapshot is taken. Nothing here is on the path of a message.
 */
final class MeterReadings {
  private final MeterRegistry registry;
  /** The event-loop lag timers' count and total at the previous reading, for the mean since then. */
  private long lagCount;
  private double lagTotalMillis;

  MeterReadings(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The sum of every counter named {@code name}, whatever its tags. */
  long counter(String name) {
    double sum = 0;
    for (FunctionCounter counter : registry.find(name).functionCounters()) {
      sum += counter.count();
    }
    for (Counter counter : registry.find(name).counters()) {
      sum += counter.count();
    }
    return (long) sum;
  }

  /** The sum of every gauge named {@code name}. */
  long gauge(String name) {
    double sum = 0;
    for (Gauge gauge : registry.find(name).gauges()) {
      double value = gauge.value();
      sum += Double.isNaN(value) ? 0 : value;
    }
    return (long) sum;
  }

  /**
   * How late the event loops ran their probes: the mean since the previous reading (or since
   * the start) and the largest of the recent ones, in milliseconds.
   */
  synchronized Lag loopLag() {
    long count = 0;
    double total = 0;
    double max = 0;
    for (Timer timer : registry.find("switchboard.eventloop.lag").timers()) {
      count += timer.count();
      total += timer.totalTime(TimeUnit.MILLISECONDS);
      max = Math.max(max, timer.max(TimeUnit.MILLISECONDS));
    }
    long probes = count - lagCount;
    double mean = probes > 0 ? (total - lagTotalMillis) / probes : 0;
    lagCount = count;
    lagTotalMillis = total;
    return new Lag(mean, max, probes);
  }

  /** Event-loop lag in milliseconds, from {@code probes} probes. */
  record Lag(double meanMillis, double maxMillis, long probes) {}
}
