package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.ResultLines.line;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsSectionTest {
  @TempDir
  Path results;

  @Test
  void eachTargetIsJudgedFromTheRunsThatMeasureIt() throws Exception {
    Files.write(results.resolve("run.jsonl"), List.of(
        line("floor", "kernel", "\"sockets\":1000,\"framesPerWrite\":1,\"senderCpuUsPerMessage\":5.0"),
        line("fanout", "switchboard", "\"subscribers\":1000,\"rate\":100,\"serverCpuUsPerDelivery\":6.0,"
            + "\"deliveriesPerWrite\":1.0,\"latencyP99Us\":25000,\"machineCpuBusy\":0.8"),
        line("fanout", "node", "\"subscribers\":1000,\"rate\":100,\"serverCpuUsPerDelivery\":11.0,\"latencyP99Us\":900000"),
        line("echo", "switchboard", "\"mode\":\"closed\",\"clients\":100,\"acksPerSec\":100000,"
            + "\"machineCpuBusy\":0.9,\"loadGenCpuUsPerRoundTrip\":8.0"),
        line("echo", "node", "\"mode\":\"closed\",\"clients\":100,\"acksPerSec\":40000")));

    String targets = section(ResultSet.load(results));

    assertThat(targets).contains(
        "| Fan-out server CPU per delivery ≤ 1.3× the one-write floor, one message per socket at a time "
            + "| 6.00 µs = 1.20× the floor (5.00 µs)",
        "| p99 ≤ 20 ms at 1,000 subscribers × 100/s | 25.0 ms (Node 900 ms), machine 80% busy | no |",
        "= 2.50×; machine 90% busy, load generator 0.80 cores | yes |");
    assertThat(targets.lines().filter(l -> l.startsWith("| Fan-out server CPU")).findFirst().orElseThrow()).endsWith("| yes |");
    assertThat(targets).doesNotContain("idle", "Cross-node");
  }

  @Test
  void aKeptPublishIsJudgedAgainstTheSameVolatileOne() throws Exception {
    ResultSet cheap = ResultLines.load(results,
        ResultLines.echo("switchboard", "open", "publish-ack", false, 10_000, 2_000, 40.0),
        ResultLines.echo("switchboard", "open", "publish-ack", true, 10_000, 2_100, 42.0),
        ResultLines.echo("node", "open", "publish-ack", false, 10_000, 7_000, 60.0));

    assertThat(section(cheap)).contains(
        "| A kept publish (history, recovery) ≤ 1.1× a volatile one, in server CPU and in p99 "
            + "| open clients=100 rate=10000/s publish: 42.0 vs 40.0 µs per round trip = 1.05×; "
            + "p99 2.10 vs 2.00 ms = 1.05× | yes |");

    ResultSet slowTail = ResultLines.load(results,
        ResultLines.echo("switchboard", "open", "publish-ack", false, 10_000, 2_000, 40.0),
        ResultLines.echo("switchboard", "open", "publish-ack", true, 10_000, 3_000, 42.0));

    assertThat(section(slowTail)).contains("p99 3.00 vs 2.00 ms = 1.50× | no |");
  }

  @Test
  void aKeptPublishWithoutItsVolatileRunIsNoTarget() throws Exception {
    ResultSet set = ResultLines.load(results, ResultLines.echo("switchboard", "open", "publish-ack", true, 10_000, 2_100, 42.0));

    assertThat(section(set)).isEmpty();
  }

  @Test
  void noMeasuredTargetsNoSection() throws Exception {
    assertThat(section(ResultSet.load(results))).isEmpty();
  }

  private static String section(ResultSet set) {
    StringBuilder md = new StringBuilder();
    new TargetsSection(set).render(md);
    return md.toString();
  }
}
