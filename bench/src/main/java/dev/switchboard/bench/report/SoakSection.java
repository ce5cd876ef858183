package dev.switchboard.bench.report;

import dev.switchboard.bench.soak.RssTrend;
import java.util.Comparator;
import java.util.List;

/**
 * Soak: connections churning for minutes with messages flowing. One row per run with its three
 * targets, each shown met or not: resident memory flat after warm-up, open files back to their
 * baseline once every client closed, and nothing lost by the connections that stayed.
 */
final class SoakSection {
  private final ResultSet results;

  SoakSection(ResultSet results) {
    this.results = results;
  }

  void render(StringBuilder md) {
    List<Result> runs = results.of("soak").stream()
        .sorted(Comparator.comparingDouble((Result r) -> r.number("durationS")).thenComparing(Result::time))
        .toList();
    if (runs.isEmpty()) {
      return;
    }
    md.append("## Soak\n\n")
        .append("Stayers hold their connections all along, spread over a few rooms, each room fed a numbered ")
        .append("stream, so every stayer's losses and duplicates are counted exactly. Around them, load-generator ")
        .append("children keep the total near *connections*, opening *churn* connections a second and ending ")
        .append("their oldest: most close cleanly, some by TCP reset, and a few go silent so that only the ")
        .append("server's ping timeout ends them; some join a stayers' room and a room of their own. The server ")
        .append("runs with the standalone defaults: room history and connection state recovery on, presence ")
        .append("tracked and announced in every room, Engine.IO's ping interval and timeout. In the runs marked ")
        .append("*presence-diffs* every client asks for batched `presence:diff` events instead of one event per ")
        .append("join or leave to every member of the room (see the big-room table). Targets: resident ")
        .append("memory within ").append(ResultsTable.format(RssTrend.FLAT_PERCENT))
        .append(" % from warm-up end to the end, open files back to their baseline once every client closed, ")
        .append("no message lost by a stayer. *Not tried*: connects left out because the child already had its ")
        .append("most handshakes in flight (the machine could not keep up with the rate asked). RSS *warm* and *end* are the highest of the samples (every few ")
        .append("seconds) in the minute after warm-up and in the last minute: the collector's sawtooth moves ")
        .append("single samples by tens of percent. Live heap: used right after a full collection.\n\n");
    md.append("| case | connects (/s reached) | failed / not tried | RSS MB warm → end (max) | RSS drift | RSS flat ")
        .append("| live heap MB warm → end | open files base / peak / end | files back | stayers lost / dup / expected ")
        .append("| none lost | stayer p99 ms | server CPU cores | load avg start / end |\n")
        .append("| --- | ---: | ---: | ---: | ---: | :---: | ---: | ---: | :---: | ---: | :---: | ---: | ---: | ---: |\n");
    for (Result r : runs) {
      md.append("| ").append(r.caseName())
          .append(" | ").append(ResultsTable.format(r.number("connects")))
          .append(" (").append(ResultsTable.format(r.number("churnConnectsPerSec"))).append(')')
          .append(" | ").append(ResultsTable.format(r.number("connectFailures")))
          .append(" / ").append(ResultsTable.format(r.number("connectsSkipped")))
          .append(" | ").append(ResultsTable.format(r.number("rssWarmMb")))
          .append(" → ").append(ResultsTable.format(r.number("rssEndMb")))
          .append(" (").append(ResultsTable.format(r.number("rssMaxMb"))).append(')')
          .append(" | ").append(signed(r.number("rssDriftPercent"))).append(" %")
          .append(" | ").append(met(r.flag("rssFlat")))
          .append(" | ").append(ResultsTable.format(r.number("heapWarmMb")))
          .append(" → ").append(ResultsTable.format(r.number("heapEndMb")))
          .append(" | ").append(ResultsTable.format(r.number("fdsBaseline")))
          .append(" / ").append(ResultsTable.format(r.number("fdsPeak")))
          .append(" / ").append(ResultsTable.format(r.number("fdsEnd")))
          .append(" | ").append(met(r.flag("fdsBackToBaseline")))
          .append(" | ").append(ResultsTable.format(r.number("stayerLost")))
          .append(" / ").append(ResultsTable.format(r.number("stayerDuplicates")))
          .append(" / ").append(ResultsTable.format(r.number("stayerExpected")))
          .append(" | ").append(met(r.flag("noneLost")))
          .append(" | ").append(ResultsTable.format(r.number("latencyP99Us") / 1e3))
          .append(" | ").append(ResultsTable.format(r.number("serverCpuCoresAvg")))
          .append(" | ").append(ResultsTable.format(r.number("loadAvg1")))
          .append(" / ").append(ResultsTable.format(r.number("loadAvg1End"))).append(" |\n");
    }
    md.append('\n');
  }

  private static String met(boolean met) {
    return met ? "met" : "**not met**";
  }

  private static String signed(double value) {
    return Double.isNaN(value) ? "–" : (value > 0 ? "+" : "") + ResultsTable.format(value);
  }
}
