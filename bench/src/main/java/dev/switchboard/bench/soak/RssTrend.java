package dev.switchboard.bench.soak;

import java.util.List;

/**
 * Resident memory after warm-up: at its start and at the end, the highest, how far the end
 * drifted from the start (percent) and the least-squares slope (MB per minute) of the samples.
 */
public record RssTrend(double warmMb, double endMb, double maxMb, double driftPercent, double slopeMbPerMin) {
  /** The soak's target: a drift within this many percent counts as flat. */
  public static final double FLAT_PERCENT = 5;

  /** Whether the end is within {@link #FLAT_PERCENT} of the warm-up end. */
  public boolean flat() {
    return Math.abs(driftPercent) <= FLAT_PERCENT;
  }
  /** Of {@code samples} taken from {@code warmS} on, the last one being the end. */
  public static RssTrend of(List<ServerSampler.Sample> samples, double warmS) {
    List<ServerSampler.Sample> after = samples.stream().filter(s -> s.atS() >= warmS && s.rssKb() > 0).toList();
    if (after.isEmpty()) {
      return new RssTrend(0, 0, 0, 0, 0);
    }
    double warm = after.get(0).rssKb() / 1024.0;
    double end = after.get(after.size() - 1).rssKb() / 1024.0;
    double max = after.stream().mapToDouble(s -> s.rssKb() / 1024.0).max().orElse(0);
    return new RssTrend(warm, end, max, warm == 0 ? 0 : (end - warm) / warm * 100, slope(after) * 60);
  }

  /** MB per second, least squares. */
  private static double slope(List<ServerSampler.Sample> samples) {
    int n = samples.size();
    if (n < 2) {
      return 0;
    }
    double sx = 0;
    double sy = 0;
    for (ServerSampler.Sample s : samples) {
      sx += s.atS();
      sy += s.rssKb() / 1024.0;
    }
    double mx = sx / n;
    double my = sy / n;
    double num = 0;
    double den = 0;
    for (ServerSampler.Sample s : samples) {
      num += (s.atS() - mx) * (s.rssKb() / 1024.0 - my);
      den += (s.atS() - mx) * (s.atS() - mx);
    }
    return den == 0 ? 0 : num / den;
  }
}
