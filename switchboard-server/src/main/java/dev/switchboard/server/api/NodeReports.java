package dev.switchboard.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.engineio.Transport;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.ServerEvent;
import dev.switchboard.socketio.SocketIoServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What every node of a cluster reports about itself, gathered with a server-side event: its
 * connections per transport and uptime ({@code info}), or its rooms with their local member
 * counts ({@code rooms}, summed over the nodes). On a single node, only its own report. A node that
 * does not answer within {@link #WAIT} is left out, and the gathered answer says it is partial.
 */
final class NodeReports {
  /** How long the other nodes have to report. */
  static final Duration WAIT = Duration.ofSeconds(2);
  /** The server-side event the nodes answer with their report. */
  static final String EVENT = "switchboard:server-api:report";
  private static final String INFO = "info";
  private static final String ROOMS = "rooms";

  private final SocketIoServer io;
  private final String nodeId;
  private final long startedMillis;

  /** One node's connections and uptime. */
  record Node(String node, int websocket, int polling, int sse, long uptimeSeconds) {
    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("node", node);
      json.put("connections", Map.of("websocket", websocket, "polling", polling, "sse", sse));
      json.put("uptimeSeconds", uptimeSeconds);
      return json;
    }
  }

  /** Every node's report; {@code partial} when some node did not answer in time. */
  record Nodes(List<Node> nodes, boolean partial) {}

  /** The rooms of every node with their member counts summed; {@code partial} when some node did not answer. */
  record Rooms(Map<String, Integer> sizes, int nodes, boolean partial) {}

  NodeReports(SocketIoServer io, String nodeId, long startedMillis) {
    this.io = io;
    this.nodeId = nodeId;
    this.startedMillis = startedMillis;
  }

  /** Answers the other nodes' requests for this node's report. */
  void listen() {
    io.onServerEvent(EVENT, this::answer);
  }

  private void answer(ServerEvent event) {
    String kind = event.args().get(0).asText();
    if (kind.equals(ROOMS)) {
      localRooms().thenAccept(event::ack);
    } else {
      Node node = local();
      event.ack(Map.of("node", node.node(), "websocket", node.websocket(), "polling", node.polling(), "sse", node.sse(),
          "uptimeSeconds", node.uptimeSeconds()));
    }
  }

  /** This node's report. */
  Node local() {
    return new Node(nodeId, io.connectionCount(Transport.WEBSOCKET), io.connectionCount(Transport.POLLING), io.sseStreamCount(),
        (System.currentTimeMillis() - startedMillis) / 1000);
  }

  /** Every node's connections and uptime, this node's first. */
  CompletableFuture<Nodes> nodes() {
    Node here = local();
    return others(INFO).thenApply(others -> {
      List<Node> nodes = new ArrayList<>();
      nodes.add(here);
      for (JsonNode json : others.answers()) {
        nodes.add(new Node(json.path("node").asText(), json.path("websocket").asInt(), json.path("polling").asInt(),
            json.path("sse").asInt(), json.path("uptimeSeconds").asLong()));
      }
      return new Nodes(List.copyOf(nodes), others.partial());
    });
  }

  /** Every room with members on some node, with their members (sockets and SSE streams) on all nodes. */
  CompletableFuture<Rooms> rooms() {
    return localRooms().thenCombine(others(ROOMS), (here, others) -> {
      Map<String, Integer> sizes = new HashMap<>(here);
      for (JsonNode json : others.answers()) {
        json.fields().forEachRemaining(room -> sizes.merge(room.getKey(), room.getValue().asInt(), Integer::sum));
      }
      return new Rooms(sizes, 1 + others.answers().size(), others.partial());
    });
  }

  /** This node's rooms with their members here, without each socket's own room. */
  private CompletableFuture<Map<String, Integer>> localRooms() {
    return io.localRoomSizes().thenApply(sizes -> {
      Set<String> sockets = io.sockets().keySet();
      Map<String, Integer> rooms = new HashMap<>();
      sizes.forEach((room, size) -> {
        if (!sockets.contains(room)) {
          rooms.put(room, size);
        }
      });
      return rooms;
    });
  }

  private record Answers(List<JsonNode> answers, boolean partial) {}

  private CompletableFuture<Answers> others(String kind) {
    return io.serverSideEmitWithAck(WAIT, EVENT, kind).handle((answers, failure) -> {
      if (failure == null) {
        return new Answers(firsts(answers), false);
      }
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof AckTimeoutException timeout) {
        return new Answers(firsts(timeout.received()), true);
      }
      throw ApiError.unavailable("the other nodes cannot be asked now; try again");
    });
  }

  private static List<JsonNode> firsts(List<Args> answers) {
    return answers.stream().map(args -> args.get(0)).filter(JsonNode::isObject).toList();
  }
}
