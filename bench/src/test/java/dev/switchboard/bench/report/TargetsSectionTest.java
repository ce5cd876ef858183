package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.ResultLines.line;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
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
  void keepingMeasuredInOneServerIsJudgedFromItsTurns() throws Exception {
    ResultSet set = ResultLines.load(results,
        ResultLines.line("kept-cost", "switchboard", "\"clients\":100,\"rate\":10000,\"windows\":30,\"windowS\":1.0,"
            + "\"keptCpuUsPerRoundTrip\":44.3,\"volatileCpuUsPerRoundTrip\":42.0,\"cpuRatio\":1.055,"
            + "\"keptLatencyP99Us\":1537,\"volatileLatencyP99Us\":1383,\"p99Ratio\":1.111"),
        ResultLines.echo("switchboard", "open", "publish-ack", false, 10_000, 2_000, 40.0),
        ResultLines.echo("switchboard", "open", "publish-ack", true, 10_000, 3_000, 48.0));

    String targets = section(set);

    assertThat(targets).contains("| A kept publish (history, recovery) ≤ 1.1× a volatile one, in server CPU and in p99 "
        + "| one server, kept and volatile publishes in turn (clients=100 rate=10000/s windows=30 of 1 s): "
        + "44.3 vs 42.0 µs per round trip = 1.06×; p99 1.54 vs 1.38 ms = 1.11×; "
        + "on two fresh servers run apart: 1.20× and 1.50× | no |");
    assertThat(targets.lines().filter(l -> l.startsWith("| A kept publish"))).hasSize(1);
  }
  @Test
  void keptPublishIsJudgedOnTheMedianOfNeighbouringWindowsWhenMeasured() throws Exception {
    ResultSet set = ResultLines.load(results,
        ResultLines.line("kept-cost", "switchboard", "\"clients\":100,\"rate\":10000,\"windows\":30,\"windowS\":1.0,"
            + "\"keptCpuUsPerRoundTrip\":44.3,\"volatileCpuUsPerRoundTrip\":42.0,\"cpuRatio\":1.055,"
            + "\"keptLatencyP99Us\":2537,\"volatileLatencyP99Us\":1383,\"p99Ratio\":1.834,"
            + "\"pairedCpuRatio\":1.049,\"pairedP99Ratio\":1.062"));

    String targets = section(set);

    assertThat(targets).contains("| A kept publish (history, recovery) ≤ 1.1× a volatile one, in server CPU and in p99 "
        + "| one server, kept and volatile publishes in turn (clients=100 rate=10000/s windows=30 of 1 s): "
        + "median of 15 pairs of neighbouring windows: CPU 1.05×, p99 1.06×; pooled: "
        + "44.3 vs 42.0 µs per round trip = 1.06×; p99 2.54 vs 1.38 ms = 1.83× | yes |");
  }

  @Test
  void keptPublishIsJudgedAtTenThousandOnSharedCoresWithTheOtherRunsBeside() throws Exception {
    ResultSet set = ResultLines.load(results,
        keptCost(2_000, "null", 1.045, 0.867),
        keptCost(10_000, "\"0/1\"", 1.086, 0.815),
        keptCost(10_000, "null", 1.120, 0.925));

    String targets = section(set);

    assertThat(targets).contains("| one server, kept and volatile publishes in turn (clients=100 rate=10000/s windows=30 of 1 s): "
        + "median of 15 pairs of neighbouring windows: CPU 1.12×, p99 0.93×; pooled: "
        + "44.3 vs 42.0 µs per round trip = 1.06×; p99 1.54 vs 1.38 ms = 1.11×; other runs (medians of pairs): "
        + "clients=100 rate=2000/s windows=30 of 1 s: CPU 1.05×, p99 0.87×; "
        + "clients=100 rate=10000/s windows=30 of 1 s pinned 0/1: CPU 1.09×, p99 0.82× | no |");
    assertThat(targets.lines().filter(l -> l.startsWith("| A kept publish"))).hasSize(1);
  }

  private static String keptCost(int rate, String pinnedCores, double pairedCpu, double pairedP99) {
    return ResultLines.line("kept-cost", "switchboard", "\"clients\":100,\"rate\":" + rate + ",\"windows\":30,"
        + "\"windowS\":1.0,\"pinnedCores\":" + pinnedCores + ",\"keptCpuUsPerRoundTrip\":44.3,"
        + "\"volatileCpuUsPerRoundTrip\":42.0,\"cpuRatio\":1.055,\"keptLatencyP99Us\":1537,"
        + "\"volatileLatencyP99Us\":1383,\"p99Ratio\":1.111,\"pairedCpuRatio\":" + pairedCpu
        + ",\"pairedP99Ratio\":" + pairedP99);
  }

  @Test
  void unmetTargetsCarryWhatBoundsThem() throws Exception {
    ResultSet set = ResultLines.load(results,
        ResultLines.fanout("switchboard", 1000, 100, 37_000, 9.0, ",\"machineCpuBusy\":0.89"),
        ResultLines.fanout("switchboard", 1000, 10, 16_000, 11.7, ",\"machineCpuBusy\":0.12,\"loadGenCpuUsPerDelivery\":14.0"),
        ResultLines.line("fanout", "switchboard", "\"subscribers\":1000,\"rate\":50,\"nodes\":1,\"redis\":true,"
            + "\"serverCpuUsPerDelivery\":12.0"),
        ResultLines.line("fanout", "switchboard", "\"subscribers\":1000,\"rate\":50,\"nodes\":2,\"redis\":true,"
            + "\"serverCpuUsPerDelivery\":12.6"),
        ResultLines.line("fanout", "switchboard", "\"subscribers\":1000,\"sweep\":true,\"nodes\":1,\"redis\":true,"
            + "\"maxDeliveredPerSec\":800000,\"machineCpuBusy\":0.99"),
        ResultLines.line("fanout", "switchboard", "\"subscribers\":1000,\"sweep\":true,\"nodes\":2,\"redis\":true,"
            + "\"maxDeliveredPerSec\":336000,\"machineCpuBusy\":0.99"));

    String targets = section(set);

    assertThat(targets).contains(
        "; at 10/s (machine 12% busy) p99 is already 16.0 ms: the load generator alone spends 14.0 µs per delivery, "
            + "14.0 ms to read one burst of 1,000 on its one thread | no |",
        "; at 50/s the two nodes spend 12.6 µs per delivery between them against one node's 12.0 (1.05×): "
            + "a second node adds no work per delivery, only needs a core | no |");
  }

  @Test
  void anEchoBoundByTheKernelSaysHowMuchOfItsCpuIsTheKernels() throws Exception {
    ResultSet set = ResultLines.load(results,
        ResultLines.echo("switchboard", "open", "echo", false, 10_000, 3_000, 45.0),
        ResultLines.echo("node", "open", "echo", false, 10_000, 5_000, 60.0));
    Path profiles = Files.createDirectories(results.resolve("profiles"));
    Files.writeString(profiles.resolve("echo-open-20261207T070714Z.txt"), "   50.0%  kernel: send (one buffer)\n"
        + "   30.0%  kernel: epoll_wait (waiting, waking up)\n   20.0%  Java and native code (not the kernel)\n");

    StringBuilder md = new StringBuilder();
    new TargetsSection(set, Optional.of(profiles)).render(md);

    assertThat(md.toString()).contains("| Echo at a fixed 10,000 acks/s: server CPU per round trip ≤ 1/3 of Node's "
        + "| 45.0 vs 60.0 µs = 0.75×; the kernel's own work is 80% of the server's CPU in its profile (echo-open): "
        + "36.0 µs, 0.60× Node's whole round trip even with no Java at all | no |");
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
