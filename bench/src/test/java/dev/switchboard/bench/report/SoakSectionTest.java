package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.ResultLines.line;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakSectionTest {
  @TempDir
  Path results;

  @Test
  void eachRunShowsItsTargetsMetOrNot() throws Exception {
    ResultSet set = ResultLines.load(results,
        soak(600, 1000, 640, 650, 1.6, true, 60, 60, 0, true),
        soak(60, 900, 600, 660, 10, false, 60, 75, 3, false));
    StringBuilder md = new StringBuilder();

    new SoakSection(set).render(md);

    assertThat(md.toString()).contains("## Soak", "within 5 % from warm-up end",
        "| connections=10000 churn=1000/s duration=600s | 600,000 (1,000) | 0 / 0 | 640 → 650 (650) | +1.60 % | met "
            + "| 100 → 101 | 60 / 10,060 / 60 | met | 0 / 0 / 6,000,000 | met | 12 | 1.50 | 0.10 / 2 |",
        "| connections=10000 churn=1000/s duration=60s | 600,000 (900) | 0 / 0 | 600 → 660 (660) | +10 % | **not met** "
            + "| 100 → 101 | 60 / 10,060 / 75 | **not met** | 3 / 0 / 6,000,000 | **not met** |");
  }

  @Test
  void nothingWithoutSoakRuns() throws Exception {
    StringBuilder md = new StringBuilder();
    new SoakSection(ResultLines.load(results, line("floor", "kernel", "\"sockets\":1"))).render(md);
    assertThat(md.toString()).isEmpty();
  }

  private static String soak(int duration, double perSec, double warmMb, double endMb, double drift, boolean flat,
      long fdsBase, long fdsEnd, long lost, boolean noneLost) {
    return line("soak", "switchboard", "\"connections\":10000,\"churnRate\":1000,\"durationS\":" + duration
        + ",\"connects\":600000,\"churnConnectsPerSec\":" + perSec + ",\"connectFailures\":0,\"connectsSkipped\":0"
        + ",\"rssWarmMb\":" + warmMb + ",\"rssEndMb\":" + endMb + ",\"rssMaxMb\":" + endMb
        + ",\"rssDriftPercent\":" + drift + ",\"rssFlat\":" + flat + ",\"heapWarmMb\":100,\"heapEndMb\":101"
        + ",\"fdsBaseline\":" + fdsBase + ",\"fdsPeak\":10060,\"fdsEnd\":" + fdsEnd
        + ",\"fdsBackToBaseline\":" + (fdsEnd <= fdsBase) + ",\"stayerLost\":" + lost + ",\"stayerDuplicates\":0"
        + ",\"stayerExpected\":6000000,\"noneLost\":" + noneLost + ",\"latencyP99Us\":12000"
        + ",\"serverCpuCoresAvg\":1.5,\"loadAvg1End\":2");
  }
}
