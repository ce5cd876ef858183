package dev.switchboard.bench.report;

import java.util.List;

/**
 * A big room with presence on and members coming and going: the same run with every member taking
 * a {@code presence:join} / {@code presence:leave} per change, then asking for batched
 * {@code presence:diff}s. What it shows is what the batching saves the room's ordinary messages.
 */
final class PresenceSection {
  private final ResultSet results;

  PresenceSection(ResultSet results) {
    this.results = results;
  }

  void render(StringBuilder md) {
    List<Result> runs = results.of("presence", r -> true);
    if (runs.isEmpty()) {
      return;
    }
    md.append("## Big rooms: presence per change or batched (Switchboard)\n\n")
        .append("One room with presence on: `members` connections in it, other users joining and leaving it at `churn`, ")
        .append("one publisher at `rate` messages a second to the room. Run twice on fresh servers: the members take ")
        .append("a `presence:join` / `presence:leave` per change, then ask for `presence:diff` (at most one per room ")
        .append("every interval). Latency and losses are the ordinary messages'; presence frames are what the ")
        .append("members received per second.\n\n")
        .append("| case | presence | presence frames/s | server CPU (cores) | message p50 ms | message p99 ms | lost | server RSS MB |\n")
        .append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Result run : runs) {
      row(md, run.caseName(), "per change", run.part("events"));
      row(md, "", "diffs every " + run.integer("presenceDiffIntervalMs") + " ms", run.part("diffs"));
    }
    md.append('\n');
  }

  private static void row(StringBuilder md, String caseName, String mode, Result r) {
    md.append("| ").append(caseName)
        .append(" | ").append(mode)
        .append(" | ").append(ResultsTable.format(r.number("presenceFramesPerSec")))
        .append(" | ").append(ResultsTable.format(r.number("serverCpuCores")))
        .append(" | ").append(ResultsTable.format(r.number("latencyP50Us") / 1e3))
        .append(" | ").append(ResultsTable.format(r.number("latencyP99Us") / 1e3))
        .append(" | ").append(r.integer("lost")).append(" of ").append(ResultsTable.format(r.number("expected")))
        .append(" | ").append(ResultsTable.format(r.number("serverRssMb"))).append(" |\n");
  }
}
