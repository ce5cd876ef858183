package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.bench.JsonLine;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a set of idle connections did: how many connected (per node) or failed, how many were
 * still open, how many dropped (closed after connecting, whoever closed them), and how many
 * answered at least one ping since the hold began. Several tallies add up to one.
 */
record IdleTally(long connected, long failed, long[] connectedByNode, long open, long dropped, long pinged,
    long pings, double rampSeconds) {

  static IdleTally empty(int nodes) {
    return new IdleTally(0, 0, new long[nodes], 0, 0, 0, 0, 0);
  }

  /** The sum of both; the ramp took as long as the longer one. */
  IdleTally plus(IdleTally other) {
    long[] byNode = Arrays.copyOf(connectedByNode, Math.max(connectedByNode.length, other.connectedByNode.length));
    for (int i = 0; i < other.connectedByNode.length; i++) {
      byNode[i] += other.connectedByNode[i];
    }
    return new IdleTally(connected + other.connected, failed + other.failed, byNode, open + other.open,
        dropped + other.dropped, pinged + other.pinged, pings + other.pings, Math.max(rampSeconds, other.rampSeconds));
  }

  JsonLine toJson() {
    List<Long> byNode = new ArrayList<>();
    for (long n : connectedByNode) {
      byNode.add(n);
    }
    return new JsonLine()
        .put("connected", connected)
        .put("failed", failed)
        .put("connectedByNode", byNode)
        .put("open", open)
        .put("dropped", dropped)
        .put("pinged", pinged)
        .put("pings", pings)
        .put("rampSeconds", rampSeconds);
  }

  static IdleTally fromJson(JsonNode json) {
    JsonNode list = json.path("connectedByNode");
    long[] byNode = new long[list.size()];
    for (int i = 0; i < byNode.length; i++) {
      byNode[i] = list.get(i).asLong();
    }
    return new IdleTally(json.path("connected").asLong(), json.path("failed").asLong(), byNode,
        json.path("open").asLong(), json.path("dropped").asLong(), json.path("pinged").asLong(),
        json.path("pings").asLong(), json.path("rampSeconds").asDouble());
  }
}
