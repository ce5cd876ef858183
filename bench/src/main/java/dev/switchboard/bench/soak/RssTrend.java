package dev.switchboard.bench.soak;

import java.util.List;

/**
 * Resident memory after warm-up: the highest in the first window after warm-up ({@code warmMb})
 * and in the last window ({@code endMb}), the highest overall, how far the end drifted from the
 * warm-up (percent) and the least-squares slope (MB per minute) of every sample. Windows, not
 * single samples: the collector grows and shrinks the heap, so resident memory saws up and down by
 * tens of percent within seconds, and only the peaks of equal windows compare like with like.
 */
public record RssTrend(double warmMb, double endMb, double maxMb, double driftPercent, double slopeMbPerMin) {
  /** The soak's target: a drift within this many percent counts as flat. */
  public static final double FLAT_PERCENT = 5;

  /** Whether the end is within {@link #FLAT_PERCENT} of the warm-up end. */
  public boolean flat() {
    return Math.abs(driftPercent) <= FLAT_PERCENT;
  }

  /** Of {@code samples} from {@code warmS} on (the last one being the end), over windows of {@code windowS}. */
  public static RssTrend of(List<ServerSampler.Sample> samples, double warmS, double windowS) {
    List<ServerSampler.Sample> after = samples.stream().filter(s -> s.atS() >= warmS && s.rssKb() > 0).toList();
    if (after.isEmpty()) {
      return new RssTrend(0, 0, 0, 0, 0);
    }
    double endS = after.get(after.size() - 1).atS();
    double window = Math.min(windowS, (endS - warmS) / 2);
    double warm = maxMb(after, warmS, warmS + window);
    double end = maxMb(after, endS - window, endS);
    double max = maxMb(after, warmS, endS);
    return new RssTrend(warm, end, max, warm == 0 ? 0 : (end - warm) / warm * 100, slope(after) * 60);
  }

  private static double maxMb(List<ServerSampler.Sample> samples, double fromS, double toS) {
    return samples.stream().filter(s -> s.atS() >= fromS && s.atS() <= toS)
        .mapToDouble(s -> s.rssKb() / 1024.0).max().orElse(0);
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
