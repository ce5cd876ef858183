package dev.switchboard.bench.report;

import java.util.Comparator;
import java.util.List;

/**
 * Redis Cluster failover: nodes on a cluster of three masters each with a replica, members in
 * rooms on every shard, one publisher per node; a room's master is killed and its replica takes
 * over. One row per run, then one per kill.
 */
final class FailoverSection {
  private final ResultSet results;

  FailoverSection(ResultSet results) {
    this.results = results;
  }

  void render(StringBuilder md) {
    List<Result> runs = results.of("failover").stream()
        .sorted(Comparator.comparingLong((Result r) -> r.integer("subscribers")).thenComparingLong(r -> r.integer("kills")))
        .toList();
    if (runs.isEmpty()) {
      return;
    }
    md.append("## Redis Cluster failover\n\n")
        .append("Nodes on a Redis Cluster of three masters each with a replica (`cluster-node-timeout` as shown); ")
        .append("members spread over the nodes and the rooms, whose channels are on every shard; one publisher per ")
        .append("node sends a numbered sequence to the rooms in turn. Each kill is a SIGKILL of the master owning the ")
        .append("next room's channel; the replica takes over and the killed node comes back as a replica. *First ")
        .append("delivery* is when the last of the room's members got a message sent after the kill again. *Lost*: ")
        .append("numbers a member never got; *twice*: numbers a member got again; *late*: deliveries more than 1 s ")
        .append("after their sending, held or sent again across the gap instead of lost.\n\n");
    md.append("| subscribers | rooms | nodes | rate/s per publisher | node timeout ms | kills | published | expected ")
        .append("| lost | twice | late | worst first delivery after kill ms | after promotion ms |\n")
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (Result r : runs) {
      md.append("| ").append(r.integer("subscribers"))
          .append(" | ").append(r.integer("rooms"))
          .append(" | ").append(r.nodes())
          .append(" | ").append(ResultsTable.format(r.number("ratePerPublisher")))
          .append(" | ").append(r.integer("nodeTimeoutMs"))
          .append(" | ").append(r.integer("kills"))
          .append(" | ").append(ResultsTable.format(r.number("published")))
          .append(" | ").append(ResultsTable.format(r.number("expected")))
          .append(" | ").append(ResultsTable.format(r.number("lost")))
          .append(" | ").append(ResultsTable.format(r.number("duplicates")))
          .append(" | ").append(ResultsTable.format(r.number("redelivered")))
          .append(" | ").append(gap(r.number("maxFirstDeliveryAfterKillMs")))
          .append(" | ").append(gap(r.number("maxFirstDeliveryAfterPromotionMs"))).append(" |\n");
    }
    md.append("\nPer kill:\n\n| subscribers | kill | room | promoted after ms | first delivery after kill ms ")
        .append("| after promotion ms |\n| ---: | ---: | --- | ---: | ---: | ---: |\n");
    for (Result r : runs) {
      List<Result> kills = r.list("failovers");
      for (int i = 0; i < kills.size(); i++) {
        Result kill = kills.get(i);
        md.append("| ").append(r.integer("subscribers"))
            .append(" | ").append(i + 1)
            .append(" | ").append(kill.text("room"))
            .append(" | ").append(ResultsTable.format(kill.number("promotedMs")))
            .append(" | ").append(kill.flag("resumed") ? ResultsTable.format(kill.number("firstDeliveryAfterKillMs")) : "not resumed")
            .append(" | ").append(kill.flag("resumed") ? ResultsTable.format(kill.number("firstDeliveryAfterPromotionMs")) : "–")
            .append(" |\n");
      }
    }
    md.append('\n');
  }

  /** A gap in ms; negative when some kill's room never got a delivery again. */
  private static String gap(double millis) {
    return millis < 0 ? "not resumed" : ResultsTable.format(millis);
  }
}
