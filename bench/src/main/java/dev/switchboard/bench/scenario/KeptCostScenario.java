package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.load.Counter;
import dev.switchboard.bench.load.Latency;
import dev.switchboard.bench.load.Pacer;
import dev.switchboard.bench.proc.Peer;
import dev.switchboard.bench.proc.ProcStats;
import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What keeping a publish costs, measured in one server: the open publish echo of {@link EchoScenario}
 * on a server that keeps broadcasts (history and connection state recovery, {@code --kept}), its
 * windows of {@code --window} seconds taking turns between kept publishes (each client's room
 * {@code echo-i}) and volatile ones ({@code volatile-echo-i}: {@code io.volatile}, no history).
 * Two runs on two fresh servers differ by the host's drift (±20% over minutes on a shared
 * machine), more than what is measured; windows a second apart share it, and the same JIT state.
 * Each window's server CPU counts for its kind, and each round trip's latency for the kind of the
 * window it was sent in. Switchboard only.
 */
final class KeptCostScenario implements Scenario {
  private static final int KEPT = 0;
  private static final int VOLATILE = 1;

  /** When each window started (nanoTime), as far as {@link #opened} tells; window i is kind i % 2. */
  private long[] windowStarts = new long[0];
  private volatile int opened;
  private volatile boolean recording;
  /** Latencies by window: a kind's are its windows' together, a pair's ratio is of two neighbours. */
  private Latency[] windowLatency = new Latency[0];
  private final Counter[] acks = {new Counter(), new Counter()};

  @Override
  public JsonLine run(Options options) {
    if (Peer.named(options.text("peer", "switchboard")) != Peer.SWITCHBOARD) {
      throw new IllegalArgumentException("kept-cost measures Switchboard's own kept broadcasts: Switchboard only");
    }
    int clients = options.integer("clients", 100);
    double rate = options.number("rate", 10_000);
    double duration = options.number("duration", 30);
    double warmup = options.number("warmup", 10);
    double window = options.number("window", 1);
    int windows = Math.max(2, 2 * (int) Math.round(duration / window / 2));
    String padding = SioFrames.padding(options.integer("payload", 32));
    StampedAcks listener = new StampedAcks() {
      @Override
      void onStamped(SioConnection connection, long stamp, long now) {
        int window = recording ? windowAt(stamp) : -1;
        if (window >= 0) {
          windowLatency[window].record(now - stamp);
          acks[window % 2].increment();
        }
      }
    };
    try (Target target = Target.start(options.with("kept", "true"))) {
      ConnectionRamp.Result<SioConnection> ramp = target.ramp()
          .open(clients, options.number("connect-rate", 2000), options.integer("max-pending", 256), i -> listener);
      List<SioConnection> connections = ramp.connections();
      if (connections.isEmpty()) {
        throw new IllegalStateException("no client could connect");
      }
      String[][] rooms = new String[2][connections.size()];
      for (int i = 0; i < connections.size(); i++) {
        rooms[KEPT][i] = SioFrames.quoted("echo-" + i);
        rooms[VOLATILE][i] = SioFrames.quoted("volatile-echo-" + i);
        connections.get(i).emitWithAck("join", rooms[KEPT][i]);
        connections.get(i).emitWithAck("join", rooms[VOLATILE][i]);
      }
      if (listener.joins.awaitAtLeast(2L * connections.size(), 30) < 2L * connections.size()) {
        throw new IllegalStateException("not every client could join its rooms");
      }
      int size = connections.size();
      for (int w = 0; w < Math.max(2, Math.round(warmup / window)); w++) {
        String[] to = rooms[w % 2];
        Pacer.run(rate, window, (intended, i) -> publish(connections.get((int) (i % size)), to[(int) (i % size)],
            intended, padding));
      }
      windowStarts = new long[windows];
      windowLatency = new Latency[windows];
      Arrays.setAll(windowLatency, w -> new Latency());
      recording = true;
      long[] cpuMicros = new long[2];
      long[] windowCpuMicros = new long[windows];
      long[] sent = new long[2];
      ProcStats server = target.stats;
      for (int w = 0; w < windows; w++) {
        int kind = w % 2;
        String[] to = rooms[kind];
        long cpuBefore = server.cpuMicros();
        windowStarts[w] = System.nanoTime();
        opened = w + 1;
        sent[kind] += Pacer.run(rate, window, (intended, i) -> publish(connections.get((int) (i % size)),
            to[(int) (i % size)], intended, padding));
        windowCpuMicros[w] = server.cpuMicros() - cpuBefore;
        cpuMicros[kind] += windowCpuMicros[w];
      }
      long[] counted = {acks[KEPT].awaitAtLeast(sent[KEPT], 5), acks[VOLATILE].awaitAtLeast(sent[VOLATILE], 5)};
      recording = false;
      Histogram[] byWindow = new Histogram[windows];
      Arrays.setAll(byWindow, w -> windowLatency[w].snapshot());
      Histogram[] latencies = {new Histogram(3), new Histogram(3)};
      for (int w = 0; w < windows; w++) {
        latencies[w % 2].add(byWindow[w]);
      }
      double[] cpuPerRoundTrip = new double[2];
      for (int kind : new int[] {KEPT, VOLATILE}) {
        cpuPerRoundTrip[kind] = counted[kind] == 0 ? 0.0 : cpuMicros[kind] / (double) counted[kind];
      }
      double[] p99 = {latencies[KEPT].getValueAtPercentile(99) / 1e3, latencies[VOLATILE].getValueAtPercentile(99) / 1e3};
      // Each kept window against the volatile one right after it: a stall of the host lands in
      // one window of one pair, and the median of the pairs does not see it.
      double[] pairCpu = new double[windows / 2];
      double[] pairP99 = new double[windows / 2];
      for (int pair = 0; pair < windows / 2; pair++) {
        Histogram kept = byWindow[2 * pair];
        Histogram volatileOnes = byWindow[2 * pair + 1];
        pairCpu[pair] = (windowCpuMicros[2 * pair] / (double) Math.max(1, kept.getTotalCount()))
            / (windowCpuMicros[2 * pair + 1] / (double) Math.max(1, volatileOnes.getTotalCount()));
        pairP99[pair] = kept.getValueAtPercentile(99) / (double) volatileOnes.getValueAtPercentile(99);
      }
      return target.header("kept-cost")
          .put("clients", clients)
          .put("rate", rate)
          .put("durationS", windows * window)
          .put("windowS", window)
          .put("windows", windows)
          .put("payloadBytes", padding.length())
          .put("connected", connections.size())
          .put("keptSent", sent[KEPT])
          .put("keptLost", sent[KEPT] - counted[KEPT])
          .put("volatileSent", sent[VOLATILE])
          .put("volatileLost", sent[VOLATILE] - counted[VOLATILE])
          .put("keptCpuUsPerRoundTrip", JsonLine.rounded(cpuPerRoundTrip[KEPT]))
          .put("volatileCpuUsPerRoundTrip", JsonLine.rounded(cpuPerRoundTrip[VOLATILE]))
          .put("cpuRatio", JsonLine.rounded(cpuPerRoundTrip[KEPT] / cpuPerRoundTrip[VOLATILE]))
          .put("keptLatencyP50Us", latencies[KEPT].getValueAtPercentile(50) / 1e3)
          .put("volatileLatencyP50Us", latencies[VOLATILE].getValueAtPercentile(50) / 1e3)
          .put("keptLatencyP99Us", p99[KEPT])
          .put("volatileLatencyP99Us", p99[VOLATILE])
          .put("p99Ratio", JsonLine.rounded(p99[KEPT] / p99[VOLATILE]))
          .put("pairedCpuRatio", JsonLine.rounded(median(pairCpu)))
          .put("pairedP99Ratio", JsonLine.rounded(median(pairP99)))
          .put("keptLatencyMaxUs", latencies[KEPT].getMaxValue() / 1e3)
          .put("volatileLatencyMaxUs", latencies[VOLATILE].getMaxValue() / 1e3)
          .put("serverRssMb", target.stats.rssKb() / 1024.0);
    }
  }

  /** The window a request stamped {@code stamp} was sent in (kind: its index % 2); -1 before the first. */
  private int windowAt(long stamp) {
    int known = opened;
    int at = Arrays.binarySearch(windowStarts, 0, known, stamp);
    int window = at >= 0 ? at : -at - 2;
    return Math.max(-1, window);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static void publish(SioConnection connection, String room, long intended, String padding) {
    connection.emitWithAck("publish-ack", room, SioFrames.payload(intended, padding));
  }
}
