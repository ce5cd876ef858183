package dev.switchboard.bench.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Server CPU per delivery of each one-node fan-out case, WebSocket then SSE, Switchboard's beside
 * Node's, against the floor: the kernel's CPU per message when each message is its own write(),
 * measured by the {@code floor} scenario on the same machine.
 *
 * @param floor the one-frame-per-write() floor run
 * @param coalesced the floor run with several frames per write(), what coalescing can reach
 * @param cases the fan-out cases, each with the peers that ran it
 */
record FloorComparison(Optional<Result> floor, Optional<Result> coalesced, List<Case> cases) {
  /** One fan-out case and each peer's newest result of it (Node's missing for Switchboard-only options). */
  record Case(String scenario, String caseName, Optional<Result> switchboard, Optional<Result> node) {
    /** The case as the report's tables name it: SSE's prefixed, as its case names are the fan-out ones. */
    String name() {
      return scenario.equals("sse-fanout") ? "SSE " + caseName : caseName;
    }

    Optional<Result> of(String peer) {
      return peer.equals(ResultsTable.SWITCHBOARD) ? switchboard : node;
    }

    /** Short label lines for a chart: the load, the transport, the options when any. */
    List<String> labelLines() {
      Result r = switchboard.or(() -> node).orElseThrow();
      List<String> lines = new ArrayList<>();
      lines.add(String.format(Locale.ROOT, "%,d × %,d/s", r.integer("subscribers"), r.integer("rate")));
      lines.add(scenario.equals("sse-fanout") ? "SSE" : "WebSocket");
      List<String> options = new ArrayList<>();
      if (r.writeDelayMs() > 0) {
        options.add("delay " + r.writeDelayMs() + " ms");
      }
      if (r.serverThreads() > 0) {
        options.add(r.serverThreads() + (r.serverThreads() == 1 ? " event loop" : " event loops"));
      }
      if (!r.parser().equals("json")) {
        options.add(r.parser());
      }
      if (!options.isEmpty()) {
        lines.add(String.join(", ", options));
      }
      return lines;
    }
  }

  private static final String CPU = "serverCpuUsPerDelivery";

  static FloorComparison of(ResultSet results) {
    List<Case> cases = new ArrayList<>();
    for (String scenario : List.of("fanout", "sse-fanout")) {
      for (String caseName : results.cases(scenario, "subscribers", r -> !r.redis() && r.nodes() <= 1 && !r.sweep())) {
        cases.add(new Case(scenario, caseName,
            Optional.ofNullable(results.find(scenario, caseName, ResultsTable.SWITCHBOARD)).filter(r -> r.has(CPU)),
            Optional.ofNullable(results.find(scenario, caseName, ResultsTable.NODE)).filter(r -> r.has(CPU))));
      }
    }
    cases.removeIf(c -> c.switchboard().isEmpty() && c.node().isEmpty());
    Optional<Result> coalesced = results.of("floor", r -> r.integer("framesPerWrite") > 1).stream()
        .min(Comparator.comparingLong(r -> r.integer("framesPerWrite")))
        .flatMap(r -> results.floor(r.integer("framesPerWrite")));
    return new FloorComparison(results.floor(1), coalesced, List.copyOf(cases));
  }

  /** The one-write floor's sender CPU per message, µs. */
  OptionalDouble floorUs() {
    return floor.map(r -> OptionalDouble.of(r.number("senderCpuUsPerMessage"))).orElse(OptionalDouble.empty());
  }

  /** A result's server CPU per delivery, µs. */
  static double cpuUs(Result result) {
    return result.number(CPU);
  }

  /** A result's server CPU per delivery as a multiple of the one-write floor, when the floor ran. */
  OptionalDouble multiple(Result result) {
    OptionalDouble floorUs = floorUs();
    return floorUs.isPresent() && floorUs.getAsDouble() > 0
        ? OptionalDouble.of(cpuUs(result) / floorUs.getAsDouble())
        : OptionalDouble.empty();
  }
}
