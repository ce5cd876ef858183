package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.ResultsTable.NODE;
import static dev.switchboard.bench.report.ResultsTable.SWITCHBOARD;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The performance targets, each with what this run measured and whether it is met. A target
 * whose runs are missing is left out. Profiles of the unmet ones are at the end of the report.
 */
final class TargetsSection {
  private static final String FANOUT_100K = "subscribers=1000 rate=100/s";
  private static final String HEAVY_FANOUT = "subscribers=100 rate=1000/s";

  private final ResultSet results;
  private final Optional<Path> profiles;
  private final StringBuilder rows = new StringBuilder();

  TargetsSection(ResultSet results) {
    this(results, Optional.empty());
  }

  /** With the directory of the server profiles' summaries, which tell what bounds unmet targets. */
  TargetsSection(ResultSet results, Optional<Path> profiles) {
    this.results = results;
    this.profiles = profiles;
  }

  void render(StringBuilder md) {
    Result floor = results.find("floor", "sockets=1000 frames/write=1", "kernel");
    double floorUs = floor == null ? Double.NaN : floor.number("senderCpuUsPerMessage");
    fanoutAgainstFloor(floorUs);
    heavyFanout(floorUs);
    latencyAt100k();
    latencyWhereNeitherSaturates();
    sweepAgainstNode();
    echo();
    keptPublish();
    idle();
    scaling();
    if (rows.isEmpty()) {
      return;
    }
    md.append("## Targets\n\n| target | measured | met |\n| --- | --- | :---: |\n").append(rows).append('\n')
        .append("What bounds the unmet ones: the profiles at the end of this report (how much of the server's CPU ")
        .append("is the kernel's own send and wake-up work) and the machine's busy share (server and load generator ")
        .append("share the same cores).\n\n");
  }

  private void fanoutAgainstFloor(double floorUs) {
    Result ours = results.find("fanout", FANOUT_100K, SWITCHBOARD);
    if (ours == null || Double.isNaN(floorUs)) {
      return;
    }
    double multiple = ours.number("serverCpuUsPerDelivery") / floorUs;
    row("Fan-out server CPU per delivery ≤ 1.3× the one-write floor, one message per socket at a time",
        f("%.2f µs = %.2f× the floor (%.2f µs), 1,000 subscribers × 100/s, %.2f deliveries per write",
            ours.number("serverCpuUsPerDelivery"), multiple, floorUs, ours.number("deliveriesPerWrite")),
        multiple <= 1.3);
  }

  private void heavyFanout(double floorUs) {
    Result delayed = null;
    for (Result r : results.of("fanout", r -> r.writeDelayMs() > 0 && !r.sweep() && r.peer().equals(SWITCHBOARD))) {
      delayed = delayed == null || r.number("serverCpuUsPerDelivery") < delayed.number("serverCpuUsPerDelivery") ? r : delayed;
    }
    Result plain = results.find("fanout", HEAVY_FANOUT, SWITCHBOARD);
    if (delayed == null || plain == null || Double.isNaN(floorUs)) {
      return;
    }
    double multiple = delayed.number("serverCpuUsPerDelivery") / floorUs;
    row("Below the floor under heavy fan-out (coalesced writes)",
        f("%s: %.2f µs = %.2f× with a %d ms write delay (%.1f deliveries per write); %.2f µs = %.2f× without (%.2f per write)",
            HEAVY_FANOUT, delayed.number("serverCpuUsPerDelivery"), multiple, delayed.writeDelayMs(),
            delayed.number("deliveriesPerWrite"), plain.number("serverCpuUsPerDelivery"),
            plain.number("serverCpuUsPerDelivery") / floorUs, plain.number("deliveriesPerWrite")),
        multiple < 1);
  }

  private void latencyAt100k() {
    Result ours = results.find("fanout", FANOUT_100K, SWITCHBOARD);
    Result theirs = results.find("fanout", FANOUT_100K, NODE);
    if (ours == null) {
      return;
    }
    double p99 = ours.number("latencyP99Us") / 1e3;
    row("p99 ≤ 20 ms at 1,000 subscribers × 100/s",
        f("%.1f ms (Node %s), machine %.0f%% busy", p99,
            theirs == null ? "–" : f("%,.0f ms", theirs.number("latencyP99Us") / 1e3), ours.number("machineCpuBusy") * 100)
            + pinned("fanout", FANOUT_100K, r -> f("%.1f ms", r.number("latencyP99Us") / 1e3))
            + burstBound(),
        p99 <= 20);
  }

  /**
   * What bounds the latency of a burst of 1,000 deliveries without the server: the load generator
   * reads them on one thread, and the quietest rate measures how long that takes.
   */
  private String burstBound() {
    Result quiet = results.find("fanout", "subscribers=1000 rate=10/s", SWITCHBOARD);
    if (quiet == null || !quiet.has("loadGenCpuUsPerDelivery")) {
      return "";
    }
    return f("; at 10/s (machine %.0f%% busy) p99 is already %.1f ms: the load generator alone spends %.1f µs per "
            + "delivery, %.1f ms to read one burst of 1,000 on its one thread", quiet.number("machineCpuBusy") * 100,
        quiet.number("latencyP99Us") / 1e3, quiet.number("loadGenCpuUsPerDelivery"),
        quiet.number("loadGenCpuUsPerDelivery") * 1000 / 1e3);
  }

  /**
   * Every case both peers ran where neither server was near a core's worth of CPU (Node's server is
   * one thread) and the machine had room: there, latency is the servers' own, not the queueing of a
   * saturated core.
   */
  private void latencyWhereNeitherSaturates() {
    StringBuilder cases = new StringBuilder();
    boolean met = true;
    int compared = 0;
    for (String scenario : new String[] {"fanout", "sse-fanout", "echo"}) {
      for (Result ours : results.of(scenario, r -> r.peer().equals(SWITCHBOARD) && !r.sweep() && r.nodes() <= 1)) {
        Result theirs = results.find(scenario, ours.caseName(), NODE);
        if (theirs == null || saturated(ours) || saturated(theirs)) {
          continue;
        }
        double ratio = ours.number("latencyP99Us") / theirs.number("latencyP99Us");
        met &= ratio <= 1;
        compared++;
        cases.append(cases.isEmpty() ? "" : "; ").append(f("%s %s: %.2f vs %.2f ms = %.2f×", scenario, ours.caseName(),
            ours.number("latencyP99Us") / 1e3, theirs.number("latencyP99Us") / 1e3, ratio));
      }
    }
    if (compared > 0) {
      row("p99 at most Node's wherever neither server saturates (server < 0.8 cores, machine < 80% busy)",
          cases.toString(), met);
    }
  }

  /**
   * The same case run with the server and the load generator on cores of their own
   * ({@code --pin-cores}), both peers, as "; pinned: ours vs theirs"; empty when not run.
   */
  private String pinned(String scenario, String caseName, Function<Result, String> figure) {
    List<Result> ours = results.of(scenario, r -> r.pinned() && r.peer().equals(SWITCHBOARD)
        && r.caseName().startsWith(caseName + " pinned "));
    if (ours.isEmpty()) {
      return "";
    }
    Result theirs = results.find(scenario, ours.get(0).caseName(), NODE);
    return f("; server on a core of its own (%s): %s (Node %s)", ours.get(0).text("pinnedCores"),
        figure.apply(ours.get(0)), theirs == null ? "–" : figure.apply(theirs));
  }

  private static boolean saturated(Result r) {
    return !(r.number("serverCpuCores") < 0.8 && r.number("machineCpuBusy") < 0.8);
  }

  private void sweepAgainstNode() {
    String sweep = "subscribers=1000 sweep nodes=1 (Redis)";
    Result ours = results.find("fanout", sweep, SWITCHBOARD);
    Result theirs = results.find("fanout", sweep, NODE);
    if (ours == null || theirs == null) {
      return;
    }
    double ratio = ours.number("maxDeliveredPerSec") / theirs.number("maxDeliveredPerSec");
    row("Delivered rate at which p99 crosses 100 ms ≥ 2× Node's",
        f("%,.0f/s vs %,.0f/s = %.1f× (one node, Redis adapter)", ours.number("maxDeliveredPerSec"),
            theirs.number("maxDeliveredPerSec"), ratio),
        ratio >= 2);
  }

  private void echo() {
    Result openOurs = results.find("echo", "open clients=100 rate=10000/s", SWITCHBOARD);
    Result openTheirs = results.find("echo", "open clients=100 rate=10000/s", NODE);
    if (openOurs != null && openTheirs != null) {
      double ratio = openOurs.number("serverCpuUsPerRoundTrip") / openTheirs.number("serverCpuUsPerRoundTrip");
      row("Echo at a fixed 10,000 acks/s: server CPU per round trip ≤ 1/3 of Node's",
          f("%.1f vs %.1f µs = %.2f×", openOurs.number("serverCpuUsPerRoundTrip"),
              openTheirs.number("serverCpuUsPerRoundTrip"), ratio)
              + pinned("echo", "open clients=100 rate=10000/s", r -> f("%.1f µs", r.number("serverCpuUsPerRoundTrip")))
              + kernelBound("echo-open", openOurs.number("serverCpuUsPerRoundTrip"),
                  openTheirs.number("serverCpuUsPerRoundTrip")),
          ratio <= 1.0 / 3);
    }
    Result closedOurs = results.find("echo", "closed clients=100", SWITCHBOARD);
    Result closedTheirs = results.find("echo", "closed clients=100", NODE);
    if (closedOurs != null && closedTheirs != null) {
      double ratio = closedOurs.number("acksPerSec") / closedTheirs.number("acksPerSec");
      row("Echo, closed loop, 100 clients: ≥ 2× Node's acks/s (unless the load generator bounds it)",
          f("%,.0f vs %,.0f acks/s = %.2f×; machine %.0f%% busy, load generator %.2f cores",
              closedOurs.number("acksPerSec"), closedTheirs.number("acksPerSec"), ratio,
              closedOurs.number("machineCpuBusy") * 100,
              closedOurs.number("loadGenCpuUsPerRoundTrip") * closedOurs.number("acksPerSec") / 1e6),
          ratio >= 2);
    }
  }

  /**
   * What keeping a message costs: measured in one server, kept and volatile publishes taking turns
   * ({@code kept-cost}), when run; else each kept publish case against the same volatile one. The
   * run at 10,000 publishes/s on shared cores is judged; those at other rates or on split cores
   * follow it, as what the ratios do with the load.
   */
  private void keptPublish() {
    List<Result> inOneServer = results.of("kept-cost");
    Result judged = inOneServer.stream().filter(r -> !r.pinned() && r.number("rate") == 10_000).findFirst()
        .orElse(inOneServer.isEmpty() ? null : inOneServer.get(0));
    if (judged != null) {
      KeptRatios ratios = KeptRatios.of(judged);
      Result kept = results.find("echo", "open clients=100 rate=10000/s publish kept", SWITCHBOARD);
      Result volatileOne = results.find("echo", "open clients=100 rate=10000/s publish", SWITCHBOARD);
      String apart = kept == null || volatileOne == null ? "" : f("; on two fresh servers run apart: %.2f× and %.2f×",
          kept.number("serverCpuUsPerRoundTrip") / volatileOne.number("serverCpuUsPerRoundTrip"),
          kept.number("latencyP99Us") / volatileOne.number("latencyP99Us"));
      List<String> others = new ArrayList<>();
      for (Result other : inOneServer) {
        if (other != judged) {
          KeptRatios its = KeptRatios.of(other);
          others.add(f("%s: CPU %.2f×, p99 %.2f×", other.caseName(), its.cpu(), its.p99()));
        }
      }
      row("A kept publish (history, recovery) ≤ 1.1× a volatile one, in server CPU and in p99",
          f("one server, kept and volatile publishes in turn (%s): %s%.1f vs %.1f µs per round trip = %.2f×; "
                  + "p99 %.2f vs %.2f ms = %.2f×%s%s", judged.caseName(),
              judged.has("pairedCpuRatio") ? f("median of %d pairs of neighbouring windows: CPU %.2f×, p99 %.2f×; pooled: ",
                  judged.integer("windows") / 2, ratios.cpu(), ratios.p99()) : "",
              judged.number("keptCpuUsPerRoundTrip"), judged.number("volatileCpuUsPerRoundTrip"),
              judged.number("cpuRatio"), judged.number("keptLatencyP99Us") / 1e3,
              judged.number("volatileLatencyP99Us") / 1e3, judged.number("p99Ratio"), apart,
              others.isEmpty() ? "" : "; other runs (medians of pairs): " + String.join("; ", others)),
          ratios.cpu() <= 1.1 && ratios.p99() <= 1.1);
      return;
    }
    for (Result kept : results.of("echo", r -> r.publishRequest() && r.flag("kept") && r.peer().equals(SWITCHBOARD))) {
      Result volatileOne = results.find("echo", kept.caseName().replace(" publish kept", " publish"), SWITCHBOARD);
      if (volatileOne == null) {
        continue;
      }
      double cpu = kept.number("serverCpuUsPerRoundTrip") / volatileOne.number("serverCpuUsPerRoundTrip");
      double p99 = kept.number("latencyP99Us") / volatileOne.number("latencyP99Us");
      row("A kept publish (history, recovery) ≤ 1.1× a volatile one, in server CPU and in p99",
          f("%s: %.1f vs %.1f µs per round trip = %.2f×; p99 %.2f vs %.2f ms = %.2f×", volatileOne.caseName(),
              kept.number("serverCpuUsPerRoundTrip"), volatileOne.number("serverCpuUsPerRoundTrip"), cpu,
              kept.number("latencyP99Us") / 1e3, volatileOne.number("latencyP99Us") / 1e3, p99),
          cpu <= 1.1 && p99 <= 1.1);
    }
  }

  /**
   * A {@code kept-cost} run's CPU and p99 ratios as judged: the medians of neighbouring windows'
   * ratios where the run has them (the pooled p99 counts the host's stalls, which land in either
   * kind's windows by chance), else the pooled ones.
   */
  private record KeptRatios(double cpu, double p99) {
    static KeptRatios of(Result run) {
      boolean paired = run.has("pairedCpuRatio") && run.has("pairedP99Ratio");
      return paired ? new KeptRatios(run.number("pairedCpuRatio"), run.number("pairedP99Ratio"))
          : new KeptRatios(run.number("cpuRatio"), run.number("p99Ratio"));
    }
  }

  private void idle() {
    Result one = results.find("idle", "connections=19000 hold=30s", SWITCHBOARD);
    if (one != null) {
      double kb = one.number("serverRssPerConnKb");
      row("19,000 idle WebSocket connections on one node, ≤ 4 KiB each, none dropped",
          f("%,d connected, %d dropped, %.2f KiB each", one.integer("connected"), one.integer("dropped"), kb),
          one.integer("connected") >= 19_000 && one.integer("dropped") == 0 && kb <= 4);
    }
    for (Result r : results.of("idle", r -> r.clusterIdle() && r.peer().equals(SWITCHBOARD))) {
      if (r.integer("connections") >= 100_000) {
        row("100,000 idle connections held by a cluster sharing one Redis",
            f("%,d connected over %d nodes and %d load generators, %d failed, %d dropped, %.2f KiB each",
                r.integer("connected"), r.nodes(), r.integer("clientProcesses"), r.integer("failed"), r.integer("dropped"),
                r.number("serverRssPerConnKb")),
            r.integer("connected") >= 100_000 && r.integer("dropped") == 0 && r.integer("failed") == 0);
      }
    }
  }

  private void scaling() {
    Result one = results.find("fanout", "subscribers=1000 sweep nodes=1 (Redis)", SWITCHBOARD);
    Result two = results.find("fanout", "subscribers=1000 sweep nodes=2 (Redis)", SWITCHBOARD);
    if (one == null || two == null) {
      return;
    }
    double ratio = two.number("maxDeliveredPerSec") / one.number("maxDeliveredPerSec");
    Result oneAt50 = results.find("fanout", "subscribers=1000 rate=50/s nodes=1 (Redis)", SWITCHBOARD);
    Result twoAt50 = results.find("fanout", "subscribers=1000 rate=50/s nodes=2 (Redis)", SWITCHBOARD);
    String perDelivery = oneAt50 == null || twoAt50 == null ? ""
        : f("; at 50/s the two nodes spend %.1f µs per delivery between them against one node's %.1f (%.2f×): "
                + "a second node adds no work per delivery, only needs a core",
            twoAt50.number("serverCpuUsPerDelivery"), oneAt50.number("serverCpuUsPerDelivery"),
            twoAt50.number("serverCpuUsPerDelivery") / oneAt50.number("serverCpuUsPerDelivery"));
    row("Cross-node fan-out: two nodes ≥ 1.8× one node's rate",
        f("%.2f× (%,.0f vs %,.0f/s); the machine was %.0f%% busy at one node's best rate",
            ratio, two.number("maxDeliveredPerSec"), one.number("maxDeliveredPerSec"), one.number("machineCpuBusy") * 100)
            + perDelivery,
        ratio >= ResultsTable.SCALING_TARGET);
  }

  /**
   * The share of the server's CPU its profile of {@code profiledCase} found in the kernel, and the
   * ratio to Node that share alone would make: what no work of our own could go below.
   */
  private String kernelBound(String profiledCase, double oursUs, double theirsUs) {
    OptionalDouble share;
    try {
      share = profiles.isEmpty() ? OptionalDouble.empty() : ProfilesSection.kernelShare(profiles.get(), profiledCase);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (share.isEmpty()) {
      return "";
    }
    double kernelUs = oursUs * share.getAsDouble();
    return f("; the kernel's own work is %.0f%% of the server's CPU in its profile (%s): %.1f µs, %.2f× Node's "
        + "whole round trip even with no Java at all", share.getAsDouble() * 100, profiledCase, kernelUs, kernelUs / theirsUs);
  }

  private void row(String target, String measured, boolean met) {
    rows.append("| ").append(target).append(" | ").append(measured).append(" | ").append(met ? "yes" : "no").append(" |\n");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
