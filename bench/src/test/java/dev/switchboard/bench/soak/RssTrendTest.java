package dev.switchboard.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RssTrendTest {
  @Test
  void aSawtoothOfEqualPeaksIsFlatWhateverSampleEndsTheRun() {
    List<ServerSampler.Sample> samples = new ArrayList<>();
    for (int s = 0; s <= 600; s += 5) {
      long mb = 500 + (s % 30) * 10; // 500 MB up to 750 MB, every 30 s
      samples.add(new ServerSampler.Sample(s, mb * 1024, 10_000, 1));
    }
    samples.add(new ServerSampler.Sample(601, 500 * 1024, 10_000, 1)); // the end lands in a trough

    RssTrend trend = RssTrend.of(samples, 120, 60);

    assertThat(trend.warmMb()).isEqualTo(750);
    assertThat(trend.endMb()).isEqualTo(750);
    assertThat(trend.driftPercent()).isZero();
    assertThat(trend.flat()).isTrue();
  }

  @Test
  void steadyGrowthIsNotFlat() {
    List<ServerSampler.Sample> samples = new ArrayList<>();
    for (int s = 0; s <= 600; s += 5) {
      samples.add(new ServerSampler.Sample(s, (500 + s / 6) * 1024L, 10_000, 1)); // 10 MB a minute
    }

    RssTrend trend = RssTrend.of(samples, 120, 60);

    assertThat(trend.warmMb()).isEqualTo(530);
    assertThat(trend.endMb()).isEqualTo(600);
    assertThat(trend.driftPercent()).isCloseTo(13.2, within(0.1));
    assertThat(trend.slopeMbPerMin()).isCloseTo(10, within(0.1));
    assertThat(trend.flat()).isFalse();
  }
}
