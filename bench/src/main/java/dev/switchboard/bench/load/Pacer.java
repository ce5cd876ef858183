package dev.switchboard.bench.load;

import java.util.concurrent.locks.LockSupport;

/**
 * Sends at a fixed rate for a fixed time from the calling thread. Each send gets its intended
 * time (start + i / rate), so a stalled sender does not hide latency (no coordinated omission):
 * late sends are caught up and still stamped with the time they were due.
 */
public final class Pacer {
  private static final long MAX_PARK_NANOS = 1_000_000;

  /** One send, given the nanoTime at which it was due. */
  @FunctionalInterface
  public interface Send {
    void send(long intendedNanos, long index);
  }

  private Pacer() {}

  /** Runs {@code rate * seconds} sends; returns how many were made. */
  public static long run(double rate, double seconds, Send send) {
    long total = (long) Math.floor(rate * seconds);
    double interval = 1e9 / rate;
    long start = System.nanoTime();
    long sent = 0;
    while (sent < total) {
      long now = System.nanoTime();
      long due = Math.min(total, (long) ((now - start) / interval) + 1);
      for (; sent < due; sent++) {
        send.send(start + (long) (sent * interval), sent);
      }
      if (sent < total) {
        long next = start + (long) (sent * interval);
        LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, Math.max(1, next - System.nanoTime())));
      }
    }
    return sent;
  }
}
