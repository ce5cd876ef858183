package dev.switchboard.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.ServerEvent;
import dev.switchboard.socketio.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One snapshot of the whole cluster for the ops page: every node's report, gathered with a
 * server-side event as the server API's {@code info} is, this node's first; the largest rooms of
 * all nodes merged, with their presence and history head; and rates per second from the counters
 * of the previous snapshot. A node that does not answer within {@link #WAIT} is left out and the
 * snapshot says it is partial.
 */
final class ClusterSnapshots {
  /** How long the other nodes have to report: less than the stream's interval. */
  static final Duration WAIT = Duration.ofMillis(1500);
  /** The server-side event the nodes answer with their report. */
  static final String EVENT = "switchboard:ops:report";
  /** Rooms the page lists, the largest first. */
  static final int ROOMS_SHOWN = 20;
  /** The counters that are also shown per second. */
  private static final List<String> RATES = List.of("deliveries", "eventsReceived", "eventsSent", "rateLimited", "slowConsumers");
  static final ObjectMapper MAPPER = new ObjectMapper();

  private final SocketIoServer io;
  private final NodeProbe probe;
  /** Each node's report in the previous snapshot, for its rates; touched by one snapshot at a time. */
  private final Map<String, JsonNode> previous = new HashMap<>();

  ClusterSnapshots(SocketIoServer io, NodeProbe probe) {
    this.io = io;
    this.probe = probe;
  }

  /** Answers the other nodes' requests for this node's report. */
  void listen() {
    io.onServerEvent(EVENT, this::answer);
  }

  private void answer(ServerEvent event) {
    probe.report().thenAccept(event::ack);
  }

  /** The cluster now; rates are per second since the previous call (absent on the first). */
  synchronized CompletableFuture<ObjectNode> take() {
    CompletableFuture<Map<String, Object>> here = probe.report();
    CompletableFuture<Others> others = others();
    return here.thenCombine(others, (local, remote) -> {
      List<JsonNode> nodes = new ArrayList<>();
      nodes.add(MAPPER.valueToTree(local));
      nodes.addAll(remote.reports());
      return assemble(nodes, remote.partial());
    }).thenCompose(this::withRoomDetails);
  }

  private record Others(List<JsonNode> reports, boolean partial) {}

  private CompletableFuture<Others> others() {
    return io.serverSideEmitWithAck(WAIT, EVENT).handle((answers, failure) -> {
      if (failure == null) {
        return new Others(objects(answers), false);
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof AckTimeoutException timeout) {
        return new Others(objects(timeout.received()), true);
      }
      return new Others(List.of(), true);
    });
  }

  private static List<JsonNode> objects(List<Args> answers) {
    return answers.stream().map(args -> args.get(0)).filter(JsonNode::isObject).toList();
  }

  private synchronized ObjectNode assemble(List<JsonNode> reports, boolean partial) {
    ObjectNode snapshot = MAPPER.createObjectNode();
    snapshot.put("time", System.currentTimeMillis());
    snapshot.put("node", probe.nodeId());
    snapshot.put("partial", partial);
    ArrayNode nodes = snapshot.putArray("nodes");
    Map<String, Double> totalRates = new LinkedHashMap<>();
    long connections = 0;
    Map<String, long[]> rooms = new HashMap<>();
    Map<String, JsonNode> seen = new HashMap<>();
    for (JsonNode report : reports) {
      ObjectNode node = ((ObjectNode) report).deepCopy();
      String id = node.path("node").asText();
      seen.put(id, report);
      ObjectNode rates = node.putObject("rates");
      JsonNode before = previous.get(id);
      double seconds = before == null ? 0 : (report.path("time").asLong() - before.path("time").asLong()) / 1000.0;
      for (String counter : RATES) {
        if (seconds > 0) {
          double rate = Math.max(0, report.path("counters").path(counter).asLong() - before.path("counters").path(counter).asLong()) / seconds;
          rates.put(counter, Math.round(rate * 10) / 10.0);
          totalRates.merge(counter, rate, Double::sum);
        } else {
          rates.putNull(counter);
        }
      }
      JsonNode open = report.path("connections");
      connections += open.path("websocket").asLong() + open.path("polling").asLong() + open.path("sse").asLong();
      for (JsonNode room : report.path("rooms")) {
        long[] sizes = rooms.computeIfAbsent(room.path("room").asText(), name -> new long[2]);
        sizes[0] += room.path("members").asLong();
        sizes[1] += room.path("sse").asLong();
      }
      node.remove("rooms");
      nodes.add(node);
    }
    previous.clear();
    previous.putAll(seen);
    ObjectNode totals = snapshot.putObject("totals");
    totals.put("nodes", reports.size());
    totals.put("connections", connections);
    ObjectNode perSecond = totals.putObject("perSecond");
    for (String counter : RATES) {
      Double rate = totalRates.get(counter);
      if (rate == null) {
        perSecond.putNull(counter);
      } else {
        perSecond.put(counter, Math.round(rate * 10) / 10.0);
      }
    }
    ArrayNode byMembers = snapshot.putArray("rooms");
    rooms.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, long[]> room) -> room.getValue()[0]).reversed()
            .thenComparing(Map.Entry.comparingByKey()))
        .filter(room -> room.getValue()[0] > 0)
        .limit(ROOMS_SHOWN)
        .forEach(room -> byMembers.addObject().put("room", room.getKey()).put("members", room.getValue()[0])
            .put("sse", room.getValue()[1]));
    ArrayNode bySse = snapshot.putArray("sseRooms");
    rooms.entrySet().stream()
        .filter(room -> room.getValue()[1] > 0)
        .sorted(Comparator.comparingLong((Map.Entry<String, long[]> room) -> room.getValue()[1]).reversed()
            .thenComparing(Map.Entry.comparingByKey()))
        .limit(ROOMS_SHOWN)
        .forEach(room -> bySse.addObject().put("room", room.getKey()).put("streams", room.getValue()[1]));
    return snapshot;
  }

  /** Adds each listed room's presence (members, each once) and history head, asked once for the cluster. */
  private CompletableFuture<ObjectNode> withRoomDetails(ObjectNode snapshot) {
    List<ObjectNode> rooms = new ArrayList<>();
    snapshot.path("rooms").forEach(room -> rooms.add((ObjectNode) room));
    List<CompletableFuture<Integer>> presence = new ArrayList<>();
    List<CompletableFuture<String>> heads = new ArrayList<>();
    for (ObjectNode room : rooms) {
      String name = room.path("room").asText();
      presence.add(io.presenceAsync(name).toCompletableFuture().handle((members, failure) -> failure == null ? members.size() : null));
      heads.add(io.historyHead(name).handle((head, failure) -> failure == null ? head.map(Object::toString).orElse(null) : null));
    }
    List<CompletableFuture<?>> all = new ArrayList<>(presence);
    all.addAll(heads);
    // Written into the snapshot once everything is in, by one thread.
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
      for (int i = 0; i < rooms.size(); i++) {
        Integer members = presence.get(i).join();
        String head = heads.get(i).join();
        if (members == null) {
          rooms.get(i).putNull("presence");
        } else {
          rooms.get(i).put("presence", members);
        }
        rooms.get(i).put("historyHead", head);
      }
      return snapshot;
    });
  }
}
