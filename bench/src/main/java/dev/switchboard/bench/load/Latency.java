package dev.switchboard.bench.load;

import dev.switchboard.bench.JsonLine;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** End-to-end latencies in nanoseconds, recorded from any thread, reported in microseconds. */
public final class Latency {
  private static final long HIGHEST = TimeUnit.SECONDS.toNanos(120);

  private final Recorder recorder = new Recorder(1, HIGHEST, 3);

  public void record(long nanos) {
    recorder.recordValue(Math.max(1, Math.min(HIGHEST, nanos)));
  }

  /** Forgets everything recorded so far (call at the start of the measurement window). */
  public void reset() {
    recorder.reset();
  }

  /** Everything recorded since the last reset (and resets); recordings racing with it go to the next. */
  public Histogram snapshot() {
    return recorder.getIntervalHistogram();
  }

  /** Everything recorded since the last reset, as {@code latency*Us} fields. */
  public JsonLine report() {
    return report(snapshot());
  }

  /** A histogram of nanoseconds as {@code latency*Us} fields. */
  public static JsonLine report(Histogram h) {
    return new JsonLine()
        .put("latencyCount", h.getTotalCount())
        .put("latencyP50Us", h.getValueAtPercentile(50) / 1e3)
        .put("latencyP90Us", h.getValueAtPercentile(90) / 1e3)
        .put("latencyP99Us", h.getValueAtPercentile(99) / 1e3)
        .put("latencyP999Us", h.getValueAtPercentile(99.9) / 1e3)
        .put("latencyMaxUs", h.getMaxValue() / 1e3);
  }
}
