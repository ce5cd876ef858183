package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.proc.ProcStats;
import dev.switchboard.bench.proc.WorkerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Idle connections spread over {@code --client-processes} load-generator children, each running
 * {@link IdleWorkerScenario} with its share of the connections and of the rate, from its own
 * source subnet (the {@code k}th child from 127.0.k.2 on), round-robin over every node. This
 * process only coordinates: it starts them, waits until each has ramped, marks the hold, and adds
 * up what they report.
 */
final class IdleWorkers implements IdleClients {
  /** The flags the children run with: a collector that keeps a few hundred MB of channels cheaply. */
  static final String DEFAULT_CLIENT_JVM_OPTS = "-XX:+UseSerialGC -Xms64m -Xmx1g";
  /**
   * How long the children may take to ramp, as a multiple of the planned duration plus a fixed
   * margin: a busy machine opens connections far slower than asked, and each child bounds its
   * own ramp anyway (a handshake slot not freed within 30 s ends it).
   */
  private static final double RAMP_TIMEOUT_FACTOR = 10;
  private static final double RAMP_TIMEOUT_MARGIN_SECONDS = 120;
  private static final double REPORT_TIMEOUT_SECONDS = 60;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int[] ports;
  private final Options options;
  private final int connections;
  private final double perSecond;
  private final int processes;
  private final List<WorkerProcess> workers = new ArrayList<>();
  private double slowestRampSeconds;

  IdleWorkers(int[] ports, Options options, int connections, double perSecond, int processes) {
    this.ports = ports.clone();
    this.options = options;
    this.connections = connections;
    this.perSecond = perSecond;
    this.processes = processes;
  }

  /** The share of the {@code index}th child: an equal split, the remainder to the first ones. */
  static int share(int connections, int processes, int index) {
    return connections / processes + (index < connections % processes ? 1 : 0);
  }

  @Override
  public IdleTally ramp() {
    long start = System.nanoTime();
    String java = options.text("java", ProcessHandle.current().info().command().orElse("java"));
    String jvmOptions = options.text("client-jvm-opts", DEFAULT_CLIENT_JVM_OPTS);
    String portList = Arrays.stream(ports).mapToObj(Integer::toString).collect(Collectors.joining(","));
    for (int i = 0; i < processes; i++) {
      workers.add(WorkerProcess.start(java, jvmOptions, "idle-worker", List.of(
          "--ports", portList,
          "--connections", Integer.toString(share(connections, processes, i)),
          "--rate", Double.toString(perSecond / processes),
          "--subnet", Integer.toString(i + 1),
          "--sources", Integer.toString(options.integer("sources", 8)),
          "--client-threads", Integer.toString(options.integer("client-threads", 1)),
          "--max-pending", Integer.toString(options.integer("max-pending", 256)))));
    }
    double deadline = RAMP_TIMEOUT_FACTOR * connections / perSecond + RAMP_TIMEOUT_MARGIN_SECONDS;
    IdleTally sum = IdleTally.empty(ports.length);
    for (WorkerProcess worker : workers) {
      double left = Math.max(1, deadline - (System.nanoTime() - start) / 1e9);
      sum = sum.plus(parse(worker.nextLine(left)));
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    slowestRampSeconds = sum.rampSeconds();
    return new IdleTally(sum.connected(), sum.failed(), sum.connectedByNode(), sum.open(), sum.dropped(),
        sum.pinged(), sum.pings(), elapsed);
  }

  @Override
  public void holdStarts() {
    workers.forEach(worker -> worker.send(IdleWorkerScenario.HOLD));
  }

  @Override
  public IdleTally tally() {
    workers.forEach(worker -> worker.send(IdleWorkerScenario.REPORT));
    IdleTally sum = IdleTally.empty(ports.length);
    for (WorkerProcess worker : workers) {
      sum = sum.plus(parse(worker.nextLine(REPORT_TIMEOUT_SECONDS)));
    }
    return sum;
  }

  /** The longest any child took to open its connections, its own start left out. */
  double slowestRampSeconds() {
    return slowestRampSeconds;
  }

  /** The children's /proc figures, for their CPU and memory. */
  List<ProcStats> stats() {
    return workers.stream().map(WorkerProcess::stats).toList();
  }

  @Override
  public void close() {
    workers.forEach(WorkerProcess::close);
  }

  private static IdleTally parse(String line) {
    try {
      return IdleTally.fromJson(JSON.readTree(line));
    } catch (IOException e) {
      throw new UncheckedIOException("not a worker's JSON line: " + line, e);
    }
  }
}
