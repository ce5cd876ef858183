package dev.switchboard.http.internal;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Turns spread over a window, for work that must not happen all at once (closing every connection
 * of a node that stops, so that they do not all reconnect elsewhere in the same instant). The
 * window is cut into as many equal slots as there are turns, each turn falls at a random point of
 * its own slot, and the slots are dealt out in random order: the rate stays even across the
 * window, with none of the clusters that independent random delays form. Pure.
 */
public final class Spread {
  private Spread() {}

  /** {@code count} delays in nanoseconds within {@code [0, window)}, one per slot, in random order. */
  public static long[] delays(int count, Duration window, RandomGenerator random) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    long windowNanos = window.toNanos();
    long[] delays = new long[count];
    double slot = (double) windowNanos / Math.max(1, count);
    for (int i = 0; i < count; i++) {
      delays[i] = Math.min(windowNanos, (long) ((i + random.nextDouble()) * slot));
    }
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long swap = delays[i];
      delays[i] = delays[j];
      delays[j] = swap;
    }
    return delays;
  }

  /** {@code base} moved at random by up to half of it either way: a value in {@code [base/2, 3·base/2]}. */
  public static Duration jittered(Duration base, RandomGenerator random) {
    long nanos = base.toNanos();
    return Duration.ofNanos(nanos / 2 + (long) (random.nextDouble() * nanos));
  }
}
