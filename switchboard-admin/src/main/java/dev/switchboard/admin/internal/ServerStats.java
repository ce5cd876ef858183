package dev.switchboard.admin.internal;

import dev.switchboard.engineio.Transport;
import dev.switchboard.http.HttpServer;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.ServerCounts;
import dev.switchboard.socketio.SocketIoServer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node's {@code server_stats}, made every tick from counters the server keeps anyway (per-loop
 * counters summed here, never counted again): sockets per namespace, connections by transport and,
 * as {@code aggregatedEvents}, what changed since the last tick. The admin namespace itself is left
 * out, and so are the events it sent and received.
 */
public final class ServerStats {
  private final SocketIoServer io;
  private final String adminNamespace;
  private final Map<String, Object> base;
  private final Clock clock;
  /** The admin's own emits and the UI's events, taken off the events counts. */
  private final AtomicLong ownSent = new AtomicLong();
  private final AtomicLong ownReceived = new AtomicLong();
  private volatile Optional<HttpServer> http = Optional.empty();
  private Reading last;

  public ServerStats(SocketIoServer io, String adminNamespace, Optional<String> serverId, Clock clock) {
    this.io = io;
    this.adminNamespace = adminNamespace;
    this.clock = clock;
    String hostname = hostname();
    this.base = Map.of("serverId", serverId.orElse(hostname), "hostname", hostname, "pid", ProcessHandle.current().pid());
    this.last = read();
  }

  /** Counts bytes from now on from {@code server}'s connections. */
  public void countTrafficOf(HttpServer server) {
    http = Optional.of(server);
    synchronized (this) {
      last = read();
    }
  }

  /** The admin sent an event (one emit, whatever its reach). */
  public void ownEmit() {
    ownSent.incrementAndGet();
  }

  /** The UI sent an event. */
  public void ownReceived() {
    ownReceived.incrementAndGet();
  }

  /** The stats of now, with the events since the previous call. */
  public synchronized Map<String, Object> next() {
    Reading now = read();
    Reading before = last;
    last = now;
    long second = now.at - now.at % 1000;
    List<Map<String, Object>> events = new ArrayList<>();
    add(events, second, "rawConnection", null, now.counts.connectionsOpened() - before.counts.connectionsOpened());
    now.counts.connectionsClosed().forEach((reason, count) ->
        add(events, second, "rawDisconnection", reason, count - before.counts.connectionsClosed().getOrDefault(reason, 0L)));
    add(events, second, "packetsIn", null, now.received - before.received);
    add(events, second, "packetsOut", null, now.sent - before.sent);
    add(events, second, "bytesIn", null, now.bytesIn - before.bytesIn);
    add(events, second, "bytesOut", null, now.bytesOut - before.bytesOut);

    Map<String, Object> stats = new LinkedHashMap<>(base);
    stats.put("uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0);
    // The UI's own connections are not reported: only the admin namespace uses them.
    int admins = 0;
    int pollingAdmins = 0;
    for (Namespace nsp : io.namespaces()) {
      if (nsp.name().equals(adminNamespace)) {
        for (dev.switchboard.socketio.Socket socket : nsp.sockets().values()) {
          admins++;
          pollingAdmins += socket.transport() == Transport.POLLING ? 1 : 0;
        }
      }
    }
    stats.put("clientsCount", Math.max(0, io.connectionCount() - admins));
    stats.put("pollingClientsCount", Math.max(0, io.connectionCount(Transport.POLLING) - pollingAdmins));
    stats.put("aggregatedEvents", events);
    stats.put("namespaces", namespaces());
    return stats;
  }

  private List<Map<String, Object>> namespaces() {
    List<Map<String, Object>> namespaces = new ArrayList<>();
    for (Namespace nsp : io.namespaces()) {
      if (!nsp.name().equals(adminNamespace)) {
        namespaces.add(Map.of("name", nsp.name(), "socketsCount", nsp.sockets().size()));
      }
    }
    return namespaces;
  }

  private static void add(List<Map<String, Object>> events, long timestamp, String type, String subType, long count) {
    if (count > 0) {
      Map<String, Object> event = new HashMap<>();
      event.put("timestamp", timestamp);
      event.put("type", type);
      if (subType != null) {
        event.put("subType", subType);
      }
      event.put("count", count);
      events.add(event);
    }
  }

  private Reading read() {
    ServerCounts counts = io.counts();
    Optional<HttpServer> server = http;
    return new Reading(clock.millis(), counts, counts.eventsReceived() - ownReceived.get(), counts.eventsSent() - ownSent.get(),
        server.map(HttpServer::bytesReceived).orElse(0L), server.map(HttpServer::bytesSent).orElse(0L));
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("localhost");
    }
  }

  private record Reading(long at, ServerCounts counts, long received, long sent, long bytesIn, long bytesOut) {}
}
