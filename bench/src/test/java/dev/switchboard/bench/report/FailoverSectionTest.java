package dev.switchboard.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailoverSectionTest {
  @TempDir
  Path results;

  @Test
  void listsEachRunThenEachKillWithItsGaps() throws Exception {
    ResultSet set = ResultLines.load(results, ResultLines.line("failover", "switchboard",
        "\"nodes\":2,\"redis\":false,\"redisCluster\":true,\"nodeTimeoutMs\":1000,\"subscribers\":300,\"rooms\":6,"
            + "\"ratePerPublisher\":100,\"publishers\":2,\"kills\":2,\"failovers\":["
            + "{\"room\":\"failover-0\",\"promotedMs\":2500,\"resumed\":true,\"firstDeliveryAfterKillMs\":2900.1,"
            + "\"firstDeliveryAfterPromotionMs\":399.6},"
            + "{\"room\":\"failover-1\",\"promotedMs\":2600,\"resumed\":false,\"firstDeliveryAfterKillMs\":-1,"
            + "\"firstDeliveryAfterPromotionMs\":-1}],"
            + "\"maxFirstDeliveryAfterKillMs\":-1,\"maxFirstDeliveryAfterPromotionMs\":-1,\"published\":3000,"
            + "\"expected\":150000,\"delivered\":149990,\"lost\":10,\"duplicates\":0,\"redelivered\":42"));

    StringBuilder md = new StringBuilder();
    new FailoverSection(set).render(md);

    assertThat(md.toString()).contains("## Redis Cluster failover")
        .contains("| 300 | 6 | 2 | 100 | 1000 | 2 | 3,000 | 150,000 | 10 | 0 | 42 | not resumed | not resumed |")
        .contains("| 300 | 1 | failover-0 | 2,500 |")
        .contains("| 300 | 2 | failover-1 | 2,600 | not resumed | – |");
  }

  @Test
  void isLeftOutWithoutFailoverRuns() throws Exception {
    ResultSet set = ResultLines.load(results, ResultLines.fanout("switchboard", 100, 10, 500, 2, ""));
    StringBuilder md = new StringBuilder();
    new FailoverSection(set).render(md);
    assertThat(md.toString()).isEmpty();
  }
}
