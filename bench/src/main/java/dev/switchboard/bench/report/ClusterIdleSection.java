package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;

/**
 * Idle connections across a cluster: several nodes sharing one Redis, the connections opened by
 * several load-generator processes. One row per run, then each node's share and memory.
 */
final class ClusterIdleSection {
  private final ResultSet results;

  ClusterIdleSection(ResultSet results) {
    this.results = results;
  }

  void render(StringBuilder md) {
    List<Result> runs = results.of("idle", Result::clusterIdle).stream()
        .sorted(Comparator.comparing(Result::peer).reversed()
            .thenComparingLong(r -> r.integer("connections"))
            .thenComparingInt(Result::nodes))
        .toList();
    if (runs.isEmpty()) {
      return;
    }
    md.append("## Idle connections across a cluster\n\n")
        .append("Connections spread round-robin over the nodes, which share one Redis; opened by several ")
        .append("load-generator processes, each from its own source addresses. Held with the heartbeat running: ")
        .append("*pinged* counts the connections that answered at least one ping during the hold, *dropped* those ")
        .append("closed after connecting. RSS per connection is each node's growth over its own baseline, divided by ")
        .append("the connections it holds; server CPU is summed over the nodes for the whole hold.\n\n");
    md.append("| peer | connections | nodes | load generators | connected | failed | dropped | pinged | ramp s ")
        .append("| server RSS kB/connection | server RSS MB, all nodes | Redis RSS MB | server CPU ms, hold | hold s |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Result r : runs) {
      md.append("| ").append(r.peer())
          .append(" | ").append(ResultsTable.format(r.number("connections")))
          .append(" | ").append(r.nodes())
          .append(" | ").append(Math.max(1, r.integer("clientProcesses")))
          .append(" | ").append(ResultsTable.format(r.number("connected")))
          .append(" | ").append(ResultsTable.format(r.number("failed")))
          .append(" | ").append(ResultsTable.format(r.number("dropped")))
          .append(" | ").append(ResultsTable.format(r.number("pingedDuringHold")))
          .append(" | ").append(ResultsTable.format(r.number("rampSeconds")))
          .append(" | ").append(ResultsTable.format(r.number("serverRssPerConnKb")))
          .append(" | ").append(ResultsTable.format(r.number("serverRssMb")))
          .append(" | ").append(ResultsTable.format(r.number("redisRssMb")))
          .append(" | ").append(ResultsTable.format(r.number("serverCpuMsHold")))
          .append(" | ").append(ResultsTable.format(r.number("holdS"))).append(" |\n");
    }
    md.append("\nPer node (connections held / RSS MB / RSS kB per connection):\n\n")
        .append("| peer | connections | nodes | per node |\n| --- | ---: | ---: | --- |\n");
    for (Result r : runs) {
      md.append("| ").append(r.peer())
          .append(" | ").append(ResultsTable.format(r.number("connections")))
          .append(" | ").append(r.nodes())
          .append(" | ").append(perNode(r)).append(" |\n");
    }
    md.append('\n');
  }

  private static String perNode(Result r) {
    JsonNode held = r.fields().path("connectedByNode");
    JsonNode rss = r.fields().path("serverRssMbByNode");
    JsonNode perConn = r.fields().path("serverRssPerConnKbByNode");
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < rss.size(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(ResultsTable.format(number(held.path(i))))
          .append(" / ").append(ResultsTable.format(number(rss.path(i))))
          .append(" / ").append(ResultsTable.format(number(perConn.path(i))));
    }
    return out.isEmpty() ? "–" : out.toString();
  }

  private static double number(JsonNode node) {
    return node.isNumber() ? node.doubleValue() : Double.NaN;
  }
}
