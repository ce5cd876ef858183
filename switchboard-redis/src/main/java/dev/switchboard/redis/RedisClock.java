package dev.switchboard.redis;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Redis's clock as this node reads it, so that a command can carry a deadline Redis checks on its
 * own clock (see {@link StreamScripts#PUBLISH_BEFORE}). Each sample is a {@code TIME} round trip:
 * Redis read its clock somewhere between sending and answering, so the sample's offset is known to
 * within half its round trip; the estimate is the offset of the fastest of the last few samples.
 * Offsets are against this node's monotonic clock, so a jump of the node's wall clock does not
 * move deadlines.
 */
final class RedisClock {
  private static final int SAMPLES = 8;

  private final long[] offsets = new long[SAMPLES];
  private final long[] roundTrips = new long[SAMPLES];
  private int next;
  private int count;
  private volatile long offsetMicros;
  private volatile boolean known;

  /** This node's monotonic clock, in µs. */
  static long localMicros() {
    return TimeUnit.NANOSECONDS.toMicros(System.nanoTime());
  }

  /**
   * A {@code TIME} answer ({@code [seconds, µs]}) to a command sent at local time
   * {@code sentMicros} and answered at {@code answeredMicros}.
   */
  synchronized void sample(long sentMicros, List<byte[]> time, long answeredMicros) {
    long redisMicros = Long.parseLong(Keys.text(time.get(0))) * 1_000_000 + Long.parseLong(Keys.text(time.get(1)));
    offsets[next] = redisMicros - (sentMicros + answeredMicros) / 2;
    roundTrips[next] = answeredMicros - sentMicros;
    next = (next + 1) % SAMPLES;
    count = Math.min(count + 1, SAMPLES);
    int fastest = 0;
    for (int i = 1; i < count; i++) {
      if (roundTrips[i] < roundTrips[fastest]) {
        fastest = i;
      }
    }
    offsetMicros = offsets[fastest];
    known = true;
  }

  /** Forgets the samples (Redis's clock moved); no deadline until the next one. */
  synchronized void reset() {
    next = 0;
    count = 0;
    known = false;
  }

  /**
   * Redis's time {@code after} µs from now, in µs since the epoch; 0 while no sample came (a
   * deadline of 0 is none).
   */
  long redisMicrosIn(long after) {
    return known ? localMicros() + offsetMicros + after : 0;
  }
}
