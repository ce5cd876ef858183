package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ClientGroup;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SourceAddresses;
import dev.switchboard.bench.load.RunInfo;
import dev.switchboard.bench.proc.CorePinning;
import dev.switchboard.bench.proc.Peer;
import dev.switchboard.bench.proc.ProcStats;
import dev.switchboard.bench.proc.RedisProcess;
import dev.switchboard.bench.proc.ServerProcess;
import dev.switchboard.bench.proc.WriteCalls;
import dev.switchboard.bench.profile.ServerProfiler;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The server under test: {@code --nodes} child processes of one peer (default 1), sharing a
 * throw-away Redis when there is more than one or {@code --redis} is given, and the client loops
 * pointed at them.
 */
final class Target implements AutoCloseable {
  final List<ServerProcess> servers;
  final ClientGroup clients;
  /** The first node's /proc figures: the single server of a one-node run. */
  final ProcStats stats;
  private final RedisProcess redis;
  private final boolean countWrites;
  private WriteCalls writes;
  private final Peer peer;
  private final long writeDelayMillis;
  private final String parser;
  private final int clientThreads;
  /** Switchboard's event loops when set by {@code --server-threads}; 0: its default, one per core. */
  private final int serverThreads;
  private final int sources;
  private final Optional<CorePinning> pinning;
  /** Where {@code --profile} puts server profiles; null when not profiling. */
  private final Path profileDir;
  private final ServerProfiler.Event profileEvent;
  private Path lastProfile;

  private Target(Peer peer, Options options, List<ServerProcess> servers, RedisProcess redis) {
    this.peer = peer;
    this.servers = List.copyOf(servers);
    this.redis = redis;
    this.writeDelayMillis = Peer.writeDelayMillis(options);
    this.parser = Peer.parser(options);
    this.clientThreads = options.integer("client-threads", 1);
    this.serverThreads = options.integer("server-threads", 0);
    String profile = options.text("profile", "");
    this.profileDir = profile.isEmpty() ? null : Path.of(profile);
    this.profileEvent = ServerProfiler.Event.named(options.text("profile-event", "cpu"));
    if (profileDir != null && peer != Peer.SWITCHBOARD) {
      throw new IllegalArgumentException("--profile attaches async-profiler to a JVM: Switchboard only");
    }
    this.sources = options.integer("sources", 8);
    this.pinning = CorePinning.of(options);
    int[] ports = servers.stream().mapToInt(ServerProcess::port).toArray();
    this.clients = new ClientGroup(ports, clientThreads, new SourceAddresses(sources), parser.equals("msgpack"));
    this.stats = servers.get(0).stats();
    this.countWrites = Boolean.parseBoolean(options.text("count-writes", "true"));
  }

  static Target start(Options options) {
    Peer peer = Peer.named(options.text("peer", "switchboard"));
    int nodes = options.integer("nodes", 1);
    if (nodes < 1) {
      throw new IllegalArgumentException("--nodes must be at least 1, got " + nodes);
    }
    CorePinning.of(options).ifPresent(CorePinning::pinLoadGenerator);
    RedisProcess redis = nodes > 1 || options.flag("redis") ? RedisProcess.start(options) : null;
    List<ServerProcess> servers = new ArrayList<>(nodes);
    try {
      for (int i = 0; i < nodes; i++) {
        servers.add(ServerProcess.start(peer, options, redis == null ? "" : redis.uri()));
      }
      return new Target(peer, options, servers, redis);
    } catch (RuntimeException e) {
      servers.forEach(ServerProcess::close);
      if (redis != null) {
        redis.close();
      }
      throw e;
    }
  }

  /** {@code nodes} Switchboard nodes sharing the Redis (a server or a Redis Cluster) at {@code redisUri}, which the caller runs. */
  static Target onRedis(Options options, String redisUri, int nodes) {
    Peer peer = Peer.named(options.text("peer", "switchboard"));
    List<ServerProcess> servers = new ArrayList<>(nodes);
    try {
      for (int i = 0; i < nodes; i++) {
        servers.add(ServerProcess.start(peer, options, redisUri));
      }
      return new Target(peer, options, servers, null);
    } catch (RuntimeException e) {
      servers.forEach(ServerProcess::close);
      throw e;
    }
  }

  ConnectionRamp ramp() {
    return new ConnectionRamp(clients);
  }

  /** The /proc figures of every node, in node order. */
  List<ProcStats> nodeStats() {
    return servers.stream().map(ServerProcess::stats).toList();
  }

  /** The Redis server's URI, or null without Redis. */
  String redisUri() {
    return redis == null ? null : redis.uri();
  }

  /** The Redis server's /proc figures, or null without Redis. */
  ProcStats redisStats() {
    return redis == null ? null : redis.stats();
  }

  /**
   * Socket writes of every node, summed (see {@link WriteCalls}); counting starts at the first
   * call, so scenarios that do not ask are not traced at all.
   */
  synchronized WriteCalls writes() {
    if (writes == null) {
      writes = countWrites ? WriteCalls.start(servers.stream().map(ServerProcess::pid).toList()) : WriteCalls.none();
    }
    return writes;
  }

  /** Resident memory of every node, summed, in kB. */
  long rssKb() {
    long sum = 0;
    for (ServerProcess server : servers) {
      sum += server.stats().rssKb();
    }
    return sum;
  }

  /**
   * With {@code --profile DIR}, starts sampling the first node's CPU for a measurement window:
   * stop the returned profiler when the window closes. Null when not profiling.
   */
  ServerProfiler startProfiler(String scenario) {
    if (profileDir == null) {
      return null;
    }
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(Instant.now());
    return ServerProfiler.start(servers.get(0).pid(), profileEvent,
        profileDir.resolve(scenario + profileSuffix() + "-" + stamp + ".collapsed"));
  }

  /** What tells a profile of another event from a CPU profile of the same case. */
  private String profileSuffix() {
    return profileEvent == ServerProfiler.Event.CPU ? "" : "-" + profileEvent.name().toLowerCase(Locale.ROOT);
  }

  /** Stops {@code profiler} (null: nothing to do); the line will name its summary. */
  void stopProfiler(ServerProfiler profiler) {
    if (profiler != null) {
      lastProfile = profiler.stop();
    }
  }

  /** The common fields: scenario, peer, time, machine, nodes, client set-up. */
  JsonLine header(String scenario) {
    return RunInfo.header(scenario, peer.label())
        .put("nodes", servers.size())
        .put("redis", redis != null)
        .put("writeDelayMs", peer == Peer.SWITCHBOARD ? writeDelayMillis : null)
        .put("parser", parser)
        .put("serverThreads", peer == Peer.SWITCHBOARD && serverThreads > 0 ? serverThreads : null)
        .put("pinnedCores", pinning.map(CorePinning::toString).orElse(null))
        .put("clientThreads", clientThreads)
        .put("sourceAddresses", sources)
        .put("profile", lastProfile == null ? null : lastProfile.getFileName().toString());
  }

  @Override
  public void close() {
    try {
      synchronized (this) {
        if (writes != null) {
          writes.close();
        }
      }
      clients.close();
    } finally {
      servers.forEach(ServerProcess::close);
      if (redis != null) {
        redis.close();
      }
    }
  }
}
