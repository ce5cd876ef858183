package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.ResultLines.echo;
import static dev.switchboard.bench.report.ResultLines.fanout;
import static dev.switchboard.bench.report.ResultLines.line;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsTableTest {
  @TempDir
  Path results;

  @Test
  void bothChartsAreLinkedAndTheFloorTableGivesMicrosecondsAndMultiples() throws Exception {
    ResultSet set = ResultLines.load(results,
        line("floor", "kernel", "\"sockets\":1000,\"framesPerWrite\":1,\"senderCpuUsPerMessage\":5.0"),
        fanout("switchboard", 1000, 100, 38_000, 9.0, ""),
        fanout("node", 1000, 100, 2_400_000, 12.0, ""));

    String md = new ResultsTable(set, Optional.of("results/latency-p99.png"), Optional.of("results/cpu-per-delivery.png"))
        .render();

    assertThat(md).contains(
        "![p99 latency against delivered rate](results/latency-p99.png)\n\n"
            + "![server CPU per delivery against the kernel's one-write floor](results/cpu-per-delivery.png)\n",
        "| subscribers=1000 rate=100/s | 9 | 1.80× | 12 | 2.40× |");
  }

  @Test
  void theEchoSectionExplainsThePublishCasesOnlyWhenThereAreSome() throws Exception {
    ResultSet plain = ResultLines.load(results, echo("switchboard", "open", "echo", false, 10_000, 2_000, 39));
    String withoutPublish = new ResultsTable(plain, Optional.empty(), Optional.empty()).render();
    assertThat(withoutPublish).contains("## Echo", "*open*").doesNotContain("publish", "![");

    ResultSet publish = ResultLines.load(results,
        echo("switchboard", "open", "echo", false, 10_000, 2_000, 39),
        echo("switchboard", "open", "publish-ack", false, 10_000, 2_000, 40),
        echo("switchboard", "open", "publish-ack", true, 10_000, 2_100, 42));
    String md = new ResultsTable(publish, Optional.empty(), Optional.empty()).render();
    assertThat(md).contains("`publish-ack(room, payload)`", "*publish kept* (Switchboard)",
        "| open clients=100 rate=10000/s publish kept | acks/s | 10,000 | – | – |");
  }
}
