package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.load.CpuWindow;
import dev.switchboard.bench.proc.ProcStats;
import dev.switchboard.bench.proc.ServerProcess;
import dev.switchboard.bench.proc.SystemLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Ramps {@code --connections} at {@code --rate}/s, holds them {@code --hold} seconds (answering
 * pings), and reports server memory per connection and whether any connection dropped. With
 * {@code --nodes N} (and a Redis, see {@link Target}) the connections go round-robin over the
 * nodes; with {@code --client-processes M} they are opened by M load-generator children
 * ({@link IdleWorkers}) instead of this process. Memory per connection is each node's growth over
 * its own baseline, divided by the connections it holds.
 */
final class IdleScenario implements Scenario {
  @Override
  public JsonLine run(Options options) {
    int connections = options.integer("connections", 5000);
    double rate = options.number("rate", 1000);
    double hold = options.number("hold", 30);
    int processes = options.integer("client-processes", 0);
    SystemLimits limits = SystemLimits.read();
    checkFits(limits, connections, options.integer("nodes", 1), processes, options.integer("sources", 8));
    try (Target target = Target.start(options)) {
      JsonLine header = target.header("idle");
      Sleep.seconds(options.number("settle", 1));
      List<ProcStats> nodes = target.nodeStats();
      long[] baselineKb = rss(nodes);
      ProcStats redis = target.redisStats();
      long redisBaselineKb = redis == null ? 0 : redis.rssKb();
      IdleWorkers workers = processes > 0 ? new IdleWorkers(ports(target), options, connections, rate, processes) : null;
      try (IdleClients clients = workers != null ? workers
          : new LocalIdleClients(target.clients, connections, rate, options.integer("max-pending", 256))) {
        IdleTally ramped = clients.ramp();
        List<ProcStats> loadGens = workers == null ? List.of(new ProcStats(ProcessHandle.current().pid())) : workers.stats();
        CpuWindow serverCpu = new CpuWindow(nodes);
        CpuWindow redisCpu = new CpuWindow(redis == null ? List.of() : List.of(redis));
        CpuWindow loadGenCpu = new CpuWindow(loadGens);
        clients.holdStarts();
        serverCpu.start();
        redisCpu.start();
        loadGenCpu.start();
        Sleep.seconds(hold);
        serverCpu.stop();
        redisCpu.stop();
        loadGenCpu.stop();
        long[] rssKb = rss(nodes);
        long redisKb = redis == null ? 0 : redis.rssKb();
        long loadGenKb = sum(rss(loadGens));
        IdleTally held = clients.tally();
        return line(header, target, connections, rate, hold, processes, ramped, held, baselineKb, rssKb, serverCpu)
            .put("redisRssBaselineMb", redis == null ? null : JsonLine.rounded(redisBaselineKb / 1024.0))
            .put("redisRssMb", redis == null ? null : JsonLine.rounded(redisKb / 1024.0))
            .put("redisCpuMsHold", redis == null ? null : JsonLine.rounded(redisCpu.serverMicros() / 1e3))
            .put("workerRampSecondsMax", workers == null ? null : JsonLine.rounded(workers.slowestRampSeconds()))
            .put("loadGenRssMb", loadGenKb / 1024.0)
            .put("loadGenCpuMsHold", loadGenCpu.serverMicros() / 1e3)
            .put("limits", limits.toJson());
      }
    }
  }

  private static JsonLine line(JsonLine header, Target target, int connections, double rate, double hold, int processes,
      IdleTally ramped, IdleTally held, long[] baselineKb, long[] rssKb, CpuWindow serverCpu) {
    long connected = held.connected();
    List<Double> rssMbByNode = new ArrayList<>();
    List<Double> perConnByNode = new ArrayList<>();
    List<Double> cpuMsByNode = new ArrayList<>();
    List<Long> connectedByNode = new ArrayList<>();
    for (int i = 0; i < rssKb.length; i++) {
      long onNode = i < held.connectedByNode().length ? held.connectedByNode()[i] : 0;
      connectedByNode.add(onNode);
      rssMbByNode.add(JsonLine.rounded(rssKb[i] / 1024.0));
      perConnByNode.add(onNode == 0 ? null : JsonLine.rounded((rssKb[i] - baselineKb[i]) / (double) onNode));
      cpuMsByNode.add(JsonLine.rounded(serverCpu.serverMicros(i) / 1e3));
    }
    long growthKb = sum(rssKb) - sum(baselineKb);
    return header
        .put("clientProcesses", processes)
        .put("connections", connections)
        .put("rampRate", rate)
        .put("holdS", hold)
        .put("connected", connected)
        .put("failed", held.failed())
        .put("dropped", held.dropped())
        .put("openAfterHold", held.open())
        .put("pingedDuringHold", held.pinged())
        .put("pingsDuringHold", held.pings())
        .put("rampSeconds", ramped.rampSeconds())
        .put("connectedByNode", connectedByNode)
        .put("serverRssBaselineMb", sum(baselineKb) / 1024.0)
        .put("serverRssMb", sum(rssKb) / 1024.0)
        .put("serverRssPerConnKb", connected == 0 ? 0.0 : growthKb / (double) connected)
        .put("serverRssMbByNode", rssMbByNode)
        .put("serverRssPerConnKbByNode", perConnByNode)
        .put("serverCpuMsHold", serverCpu.serverMicros() / 1e3)
        .put("serverCpuMsHoldByNode", cpuMsByNode)
        .put("serverAlive", target.servers.stream().allMatch(ServerProcess::alive));
  }

  /** Fails before starting anything when a node or a load generator would pass its open-file limit. */
  static void checkFits(SystemLimits limits, int connections, int nodes, int processes, int sources) {
    long perProcess = limits.socketsPerProcess();
    long perNode = ceilDiv(connections, Math.max(1, nodes));
    if (perNode > perProcess) {
      throw new IllegalArgumentException(perNode + " connections per node pass the open-file limit ("
          + limits.openFiles() + " per process, " + SystemLimits.RESERVED_FILES + " kept for the rest): use more --nodes");
    }
    long perClient = ceilDiv(connections, Math.max(1, processes));
    if (perClient > perProcess) {
      throw new IllegalArgumentException(perClient + " connections per load generator pass the open-file limit ("
          + limits.openFiles() + " per process): use more --client-processes");
    }
    long ports = limits.portsPerSourceAddress();
    if (ports > 0 && ceilDiv(perClient, sources) > ports) {
      throw new IllegalArgumentException(ceilDiv(perClient, sources) + " connections per source address pass the "
          + ports + " ephemeral ports: use more --sources");
    }
  }

  private static int[] ports(Target target) {
    return target.servers.stream().mapToInt(ServerProcess::port).toArray();
  }

  private static long[] rss(List<ProcStats> processes) {
    long[] kb = new long[processes.size()];
    for (int i = 0; i < kb.length; i++) {
      kb[i] = processes.get(i).rssKb();
    }
    return kb;
  }

  private static long sum(long[] values) {
    long sum = 0;
    for (long value : values) {
      sum += value;
    }
    return sum;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
