package dev.switchboard.bench.report;

import java.util.List;

/**
 * Switchboard's write delay: each fan-out case run with a delay beside the same case without one.
 * A delay lets a busy connection's messages share one write(), trading latency for system calls.
 */
final class WriteDelaySection {
  private final ResultSet results;

  WriteDelaySection(ResultSet results) {
    this.results = results;
  }

  void render(StringBuilder md) {
    List<Result> delayed = results.of("fanout", r -> r.writeDelayMs() > 0 && !r.sweep()
        && r.peer().equals(ResultsTable.SWITCHBOARD));
    if (delayed.isEmpty()) {
      return;
    }
    md.append("## Write delay (Switchboard)\n\n")
        .append("Fan-out with `-Dswitchboard.writeDelay` (EngineIoOptions.writeDelay): a connection's flush waits up ")
        .append("to that long, so messages arriving meanwhile leave in one write(). Writes are the servers' write, ")
        .append("writev, sendto and sendmsg calls counted with `perf` (\"–\" where perf could not attach).\n\n");
    md.append("| case | write delay | delivered/s | lost | p50 µs | p99 µs | server CPU µs/delivery | deliveries/write() |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Result result : delayed) {
      Result undelayed = undelayed(result);
      if (undelayed != null) {
        row(md, undelayed.caseName(), undelayed);
      }
      row(md, "", result);
    }
    md.append('\n');
  }

  private static void row(StringBuilder md, String caseName, Result r) {
    md.append("| ").append(caseName)
        .append(" | ").append(r.writeDelayMs()).append(" ms")
        .append(" | ").append(ResultsTable.format(r.number("deliveredPerSec")))
        .append(" | ").append(ResultsTable.format(r.number("lost")))
        .append(" | ").append(ResultsTable.format(r.number("latencyP50Us")))
        .append(" | ").append(ResultsTable.format(r.number("latencyP99Us")))
        .append(" | ").append(ResultsTable.format(r.number("serverCpuUsPerDelivery")))
        .append(" | ").append(ResultsTable.format(r.number("deliveriesPerWrite"))).append(" |\n");
  }

  /** The same case (subscribers, rate, nodes) without a write delay, or null. */
  private Result undelayed(Result delayed) {
    for (Result other : results.of("fanout", r -> r.writeDelayMs() == 0 && !r.sweep())) {
      if (other.peer().equals(delayed.peer()) && other.redis() == delayed.redis() && other.nodes() == delayed.nodes()
          && other.integer("subscribers") == delayed.integer("subscribers")
          && other.integer("rate") == delayed.integer("rate")) {
        return other;
      }
    }
    return null;
  }
}
