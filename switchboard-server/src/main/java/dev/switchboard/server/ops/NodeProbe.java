package dev.switchboard.server.ops;

import dev.switchboard.engineio.Transport;
import dev.switchboard.redis.RedisCluster;
import dev.switchboard.server.webhooks.WebhookStats;
import dev.switchboard.server.webhooks.Webhooks;
import dev.switchboard.socketio.SocketIoServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * This node's report for the ops page: its health (Redis link, event-loop lag), connections,
 * counters, webhook queue and its largest rooms. Everything is read when asked, from counters the
 * server keeps anyway.
 */
final class NodeProbe {
  /** Rooms of this node reported, the largest first (by members, and by SSE streams). */
  static final int ROOMS_REPORTED = 50;

  private final SocketIoServer io;
  private final String nodeId;
  private final Optional<RedisCluster> cluster;
  private final Webhooks webhooks;
  private final MeterReadings meters;
  private final long startedMillis = System.currentTimeMillis();
  private final String hostname = hostname();
  private final long pid = ProcessHandle.current().pid();

  NodeProbe(SocketIoServer io, String nodeId, Optional<RedisCluster> cluster, Webhooks webhooks, MeterRegistry registry) {
    this.io = io;
    this.nodeId = nodeId;
    this.cluster = cluster;
    this.webhooks = webhooks;
    this.meters = new MeterReadings(registry);
  }

  String nodeId() {
    return nodeId;
  }

  /** This node's report as JSON-ready values. */
  CompletableFuture<Map<String, Object>> report() {
    return io.localRoomSizes().thenApply(this::report);
  }

  private Map<String, Object> report(Map<String, Integer> roomSizes) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("node", nodeId);
    json.put("hostname", hostname);
    json.put("pid", pid);
    json.put("time", System.currentTimeMillis());
    json.put("uptimeSeconds", (System.currentTimeMillis() - startedMillis) / 1000);
    json.put("redis", cluster.map(node -> node.health().down() ? "down" : "up").orElse("none"));
    json.put("redisOutages", cluster.map(node -> node.health().outages()).orElse(0L));
    MeterReadings.Lag lag = meters.loopLag();
    json.put("loop", Map.of("lagMs", round(lag.meanMillis()), "maxLagMs", round(lag.maxMillis()),
        "pendingTasks", meters.gauge("switchboard.eventloop.tasks.pending")));
    json.put("connections", Map.of("websocket", io.connectionCount(Transport.WEBSOCKET),
        "polling", io.connectionCount(Transport.POLLING), "sse", io.sseStreamCount()));
    json.put("sockets", io.sockets().size());
    json.put("retainedBytes", io.retainedBytes());
    Map<String, Object> counters = new LinkedHashMap<>();
    counters.put("deliveries", meters.counter("switchboard.deliveries"));
    counters.put("eventsReceived", meters.counter("switchboard.events.received"));
    counters.put("eventsSent", meters.counter("switchboard.events.sent"));
    counters.put("rateLimited", meters.counter("switchboard.events.rate.limited"));
    counters.put("slowConsumers", meters.counter("switchboard.slow.consumers"));
    counters.put("volatileDropped", meters.counter("switchboard.volatile.dropped"));
    json.put("counters", counters);
    WebhookStats hooks = webhooks.stats();
    json.put("webhooks", Map.of("endpoints", webhooks.options().endpoints().size(), "queued", hooks.queued(),
        "delivered", hooks.delivered(), "dropped", hooks.dropped(), "failed", hooks.failed(), "retried", hooks.retried()));
    Set<String> sockets = io.sockets().keySet();
    Map<String, Integer> members = new HashMap<>();
    roomSizes.forEach((room, size) -> {
      if (!sockets.contains(room)) {
        members.put(room, size);
      }
    });
    Map<String, Integer> sse = io.sseStreamsByRoom();
    json.put("roomCount", members.size());
    json.put("rooms", largestRooms(members, sse));
    return json;
  }

  /** The largest rooms by members and by SSE streams, each once: {@code [{room, members, sse}]}. */
  static List<Map<String, Object>> largestRooms(Map<String, Integer> members, Map<String, Integer> sse) {
    Set<String> chosen = new java.util.LinkedHashSet<>(largest(members, ROOMS_REPORTED));
    chosen.addAll(largest(sse, ROOMS_REPORTED));
    List<Map<String, Object>> rooms = new ArrayList<>(chosen.size());
    for (String room : chosen) {
      rooms.add(Map.of("room", room, "members", members.getOrDefault(room, 0), "sse", sse.getOrDefault(room, 0)));
    }
    return rooms;
  }

  /** The {@code n} keys of the largest values, without sorting them all. */
  static List<String> largest(Map<String, Integer> sizes, int n) {
    // Smallest first, ties broken by name so the choice is stable: the head is the one to drop.
    Comparator<Map.Entry<String, Integer>> order = Comparator.comparing((Map.Entry<String, Integer> e) -> e.getValue())
        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder());
    PriorityQueue<Map.Entry<String, Integer>> top = new PriorityQueue<>(n + 1, order);
    for (Map.Entry<String, Integer> entry : sizes.entrySet()) {
      top.add(entry);
      if (top.size() > n) {
        top.poll();
      }
    }
    List<String> keys = new ArrayList<>(top.size());
    while (!top.isEmpty()) {
      keys.add(top.poll().getKey());
    }
    java.util.Collections.reverse(keys);
    return keys;
  }

  private static double round(double millis) {
    return Math.round(millis * 100) / 100.0;
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
    }
  }
}
