package dev.switchboard.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The cross-node fan-out section: fixed-rate runs through Redis, Switchboard beside Node, then
 * the scaling figure, the highest delivered rate with p99 within the bound on N nodes against one
 * node with the Redis adapter, from the rate sweeps.
 */
final class ClusterSection {
  private final ResultSet results;

  ClusterSection(ResultSet results) {
    this.results = results;
  }

  void render(StringBuilder md, List<ResultsTable.Metric> metrics) {
    List<String> fixed = results.cases("fanout", "subscribers", r -> r.redis() && !r.sweep());
    List<Result> sweeps = results.of("fanout", Result::sweep);
    if (fixed.isEmpty() && sweeps.isEmpty()) {
      return;
    }
    md.append("## Cross-node fan-out through Redis\n\n")
        .append("Subscribers spread round-robin over the nodes, the publisher on the first; the nodes share rooms ")
        .append("through one Redis (Switchboard's Redis adapter, Node's `@socket.io/redis-adapter`). CPU and memory ")
        .append("are summed over the nodes; Redis's own CPU is shown apart. Every node, Redis and the load generator ")
        .append("share the machine's cores, so scaling is only meaningful with a core per node to spare.\n\n");
    if (!fixed.isEmpty()) {
      ResultsTable.comparison(md, results, "fanout", fixed, metrics);
      md.append('\n');
    }
    if (!sweeps.isEmpty()) {
      scaling(md, sweeps);
      steps(md, sweeps);
    }
  }

  /** Highest delivered rate within the bound, 1 node (Redis) against the others, per peer. */
  private void scaling(StringBuilder md, List<Result> sweeps) {
    md.append(String.format(Locale.ROOT,
        "Highest delivered rate with p99 within the bound and nothing lost (rate sweeps); the target is %.1f× "
            + "one node's rate on two nodes. \"≥\": the sweep never missed the bound, so the rate is a lower bound. "
            + "*Machine CPU busy* is the share of all cores in use (by the nodes, Redis, the load generator and "
            + "anything else) during that step: near 100%%, a second node has no core to run on.%n%n",
        ResultsTable.SCALING_TARGET));
    md.append("| subscribers | peer | nodes | p99 bound | max delivered/s | × one node | machine CPU busy |\n")
        .append("| ---: | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for (Result sweep : ordered(sweeps)) {
      Result single = baseline(sweep);
      double max = sweep.number("maxDeliveredPerSec");
      String scaling = single == null || single == sweep || single.number("maxDeliveredPerSec") <= 0
          ? "–"
          : String.format(Locale.ROOT, "%.2f", max / single.number("maxDeliveredPerSec"));
      md.append("| ").append(sweep.integer("subscribers"))
          .append(" | ").append(sweep.peer())
          .append(" | ").append(sweep.nodes()).append(sweep.redis() ? " (Redis)" : "")
          .append(" | ").append(ResultsTable.format(sweep.number("p99BoundMs"))).append(" ms")
          .append(" | ").append(sweep.flag("saturated") ? "" : "≥ ").append(ResultsTable.format(max))
          .append(" | ").append(scaling)
          .append(" | ").append(percent(sweep.number("machineCpuBusy"))).append(" |\n");
    }
    md.append('\n');
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "–" : String.format(Locale.ROOT, "%.0f%%", share * 100);
  }

  /** Every rate a sweep tried, with its p99 (✗: missed the bound or lost messages). */
  private void steps(StringBuilder md, List<Result> sweeps) {
    md.append("| sweep | peer | publish rate/s → p99 ms |\n| --- | --- | --- |\n");
    for (Result sweep : ordered(sweeps)) {
      StringBuilder tried = new StringBuilder();
      double bound = sweep.number("p99BoundMs") * 1e3;
      for (double[] step : sweep.steps()) {
        if (!tried.isEmpty()) {
          tried.append(", ");
        }
        tried.append(ResultsTable.format(step[0])).append(" → ").append(ResultsTable.format(step[1] / 1e3));
        if (step[1] > bound || step[2] > 0) {
          tried.append(" ✗");
        }
      }
      md.append("| ").append(sweep.caseName()).append(" | ").append(sweep.peer()).append(" | ").append(tried).append(" |\n");
    }
    md.append('\n');
  }

  /** The one-node sweep (with Redis) of the same peer and subscriber count, or null. */
  private Result baseline(Result sweep) {
    for (Result other : results.of("fanout", Result::sweep)) {
      if (other.nodes() == 1 && other.redis() && other.peer().equals(sweep.peer())
          && other.integer("subscribers") == sweep.integer("subscribers") && other.writeDelayMs() == sweep.writeDelayMs()) {
        return other;
      }
    }
    return null;
  }

  private static List<Result> ordered(List<Result> sweeps) {
    List<Result> sorted = new ArrayList<>(sweeps);
    sorted.sort((a, b) -> a.peer().equals(b.peer())
        ? Long.compare(a.integer("subscribers") * 1000 + a.nodes(), b.integer("subscribers") * 1000 + b.nodes())
        : b.peer().compareTo(a.peer()));
    return sorted;
  }
}
