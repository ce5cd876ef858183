package dev.switchboard.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.load.Counter;
import dev.switchboard.bench.load.Latency;
import dev.switchboard.bench.load.Pacer;
import dev.switchboard.bench.load.RunInfo;
import dev.switchboard.bench.proc.ProcStats;
import dev.switchboard.bench.proc.SystemLimits;
import dev.switchboard.bench.proc.WorkerProcess;
import dev.switchboard.bench.soak.EndMix;
import dev.switchboard.bench.soak.LiveHeap;
import dev.switchboard.bench.soak.RssTrend;
import dev.switchboard.bench.soak.ServerSampler;
import dev.switchboard.bench.soak.SoakMessages;
import dev.switchboard.bench.soak.SoakRooms;
import dev.switchboard.bench.soak.StayerInbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A long run of connection churn with messages flowing (Switchboard only). {@code --stayers}
 * connections stay all along, spread over {@code --rooms} rooms, each room fed a numbered stream
 * at {@code --rate}/s, so every stayer's losses and duplicates are counted exactly. Meanwhile
 * {@code --client-processes} children ({@link ChurnWorkerScenario}) keep about
 * {@code --connections} open in all by opening {@code --churn-rate}/s between them and ending
 * their oldest: cleanly, by TCP reset ({@code --reset-percent}) or by going silent
 * ({@code --silent-percent}) until the server's ping timeout ends them; {@code --join-percent} of
 * them join a stayers' room and one of their own. Runs {@code --duration} seconds; the first
 * {@code --warmup} are left out of the memory trend and the latencies.
 *
 * <p>The server runs as the standalone server does by default: room history and connection state
 * recovery on ({@code --kept}), presence tracked and announced in every room
 * ({@code --presence-all}; with {@code --presence-diffs} every client asks for batched diffs),
 * Engine.IO's ping interval and timeout. Sampled every
 * {@code --sample-interval} s: RSS, open files, CPU; every {@code --heap-interval} s the live heap
 * (a full collection through jcmd). Reported: RSS at warm-up end and at the end (the highest in the
 * {@code --rss-window} seconds after warm-up and before the end: see {@link RssTrend}), the
 * highest, the drift and slope; open files at the start, highest, and after every client closed (waiting up to
 * {@code --settle} s for them to come back); connects and their failures; the stayers' deliveries.
 */
final class SoakScenario implements Scenario {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The end mix of the churners from {@code --silent-percent}, {@code --reset-percent}, {@code --join-percent}. */
  static EndMix mix(Options options) {
    return new EndMix(options.integer("silent-percent", 5), options.integer("reset-percent", 25),
        options.integer("join-percent", 30));
  }

  @Override
  public JsonLine run(Options given) {
    try {
      return soak(given);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private JsonLine soak(Options given) throws InterruptedException {
    Options options = given.withDefault("kept", "true").withDefault("presence-all", "true");
    if (!options.text("peer", "switchboard").equals("switchboard")) {
      throw new IllegalArgumentException("soak: Switchboard only (it runs the server with the standalone defaults)");
    }
    int connections = options.integer("connections", 10_000);
    int stayers = options.integer("stayers", 1000);
    SoakRooms rooms = new SoakRooms(options.integer("rooms", 4));
    double rate = options.number("rate", 25);
    double churnRate = options.number("churn-rate", 1000);
    double duration = options.number("duration", 600);
    double warmup = options.number("warmup", 120);
    int processes = Math.max(1, options.integer("client-processes", 3));
    int pool = connections - stayers - 1;
    if (pool < processes) {
      throw new IllegalArgumentException("--connections must leave room for churners beyond the stayers and the publisher");
    }
    EndMix mix = mix(options);
    SystemLimits limits = SystemLimits.read();
    checkFits(limits, connections, pool / processes + 1, churnRate / processes * mix.silentPercent() / 100.0 * reapSeconds(options));

    try (Target target = Target.start(options)) {
      JsonLine header = target.header("soak");
      Sleep.seconds(1);
      ProcStats server = target.stats;
      try (ServerSampler sampler = new ServerSampler(server, new LiveHeap(target.servers.get(0).pid()))) {
        long heapBaselineKb = sampler.sampleHeap();
        // After the first live-heap reading: the attach listener's socket stays open from then on.
        long fdsBaseline = server.openFiles();
        double rssBaselineMb = server.rssKb() / 1024.0;
        sampler.start(options.number("sample-interval", 5), options.number("heap-interval", 60));

        Latency latency = new Latency();
        Counter delivered = new Counter();
        Counter joined = new Counter();
        StayerInbox[] inboxes = new StayerInbox[stayers];
        for (int i = 0; i < stayers; i++) {
          inboxes[i] = new StayerInbox(i % rooms.count());
        }
        String stayerConnect = connectPacket(options);
        ConnectionRamp.Result<SioConnection> stayed = target.ramp().open(stayers, options.number("stayer-rate", 1000),
            256, i -> new Stayer(inboxes[i], latency, delivered, joined, stayerConnect));
        List<StayerInbox> connectedInboxes = new ArrayList<>();
        for (SioConnection connection : stayed.connections()) {
          StayerInbox inbox = ((Stayer) connection.listener()).inbox;
          connectedInboxes.add(inbox);
          connection.emitWithAck("join", SioFrames.quoted(rooms.name(inbox.room())));
        }
        long stayersJoined = joined.awaitAtLeast(stayed.connections().size(), 60);
        SioConnection publisher = Publisher.connect(target);

        List<WorkerProcess> workers = startWorkers(options, target, processes, pool, churnRate, duration, rooms);
        double churnStartS = sampler.secondsSinceStart();
        // When warm-up ended (s) and the live heap then (kB); read after the thread ended.
        double[] warm = new double[] {-1, -1};
        Thread warmMark = Thread.ofPlatform().name("soak-warmup").daemon().start(() -> {
          Sleep.seconds(warmup);
          if (Thread.currentThread().isInterrupted()) {
            return;
          }
          latency.reset();
          ServerSampler.Sample sample = sampler.sample();
          warm[0] = sample.atS();
          warm[1] = sampler.sampleHeap();
        });

        // The ith message goes to room i % rooms as that room's (i / rooms)th.
        long published = Pacer.run(rate * rooms.count(), duration, (due, i) -> publisher.emit("publish",
            SioFrames.quoted(rooms.name((int) (i % rooms.count()))), SoakMessages.payload(due, (int) (i / rooms.count()))));
        long expected = 0;
        for (StayerInbox inbox : connectedInboxes) {
          expected += publishedTo(inbox.room(), published, rooms.count());
        }
        delivered.awaitAtLeast(expected, options.number("drain", 10));
        Histogram latencies = latency.snapshot();
        double loadAtEnd = RunInfo.loadAverage();
        ServerSampler.Sample end = sampler.sample();
        long heapEndKb = sampler.sampleHeap();
        warmMark.interrupt();
        warmMark.join();

        Map<String, Long> churn = new LinkedHashMap<>();
        List<JsonNode> reports = new ArrayList<>();
        for (WorkerProcess worker : workers) {
          JsonNode report = parse(worker.nextLine(120));
          reports.add(report);
          report.properties().forEach(f -> {
            if (f.getValue().isIntegralNumber()) {
              churn.merge(f.getKey(), f.getValue().asLong(), Long::sum);
            }
          });
        }
        double churnSeconds = reports.stream().mapToDouble(r -> r.path("churnSeconds").asDouble()).max().orElse(duration);
        double slowestReap = reports.stream().mapToDouble(r -> r.path("slowestReapS").asDouble()).max().orElse(0);
        long openAtChurnEnd = reports.stream().mapToLong(r -> r.path("openAtChurnEnd").path("openNow").asLong()).sum();
        workers.forEach(WorkerProcess::close);

        long received = 0;
        long duplicates = 0;
        int stayerDisconnects = 0;
        for (StayerInbox inbox : connectedInboxes) {
          received += inbox.received((int) publishedTo(inbox.room(), published, rooms.count()));
          duplicates += inbox.duplicates();
          stayerDisconnects += inbox.wasDisconnected() ? 1 : 0;
        }
        int stayersConnected = stayed.connections().size();
        long expectedOfConnected = expected;

        stayed.connections().forEach(SioConnection::closeCleanly);
        publisher.closeCleanly();
        double settle = options.number("settle", 30);
        long settleStart = System.nanoTime();
        long fdsEnd = server.openFiles();
        while (fdsEnd > fdsBaseline && (System.nanoTime() - settleStart) / 1e9 < settle) {
          Sleep.seconds(0.5);
          fdsEnd = server.openFiles();
        }
        double settledS = (System.nanoTime() - settleStart) / 1e9;
        ServerSampler.Sample afterClose = sampler.sample();

        List<ServerSampler.Sample> samples = sampler.samples();
        double warmS = warm[0] >= 0 ? warm[0] : churnStartS + warmup;
        double rssWindow = options.number("rss-window", 60);
        RssTrend rss = RssTrend.of(samples.stream().filter(s -> s.atS() <= end.atS()).toList(), warmS, rssWindow);
        long fdsPeak = samples.stream().mapToLong(ServerSampler.Sample::openFiles).max().orElse(-1);
        long lost = expectedOfConnected - received;
        long connects = churn.getOrDefault("connected", 0L);
        return header
            .put("kept", options.flag("kept"))
            .put("presenceAll", options.flag("presence-all"))
            .put("presenceDiffs", options.flag("presence-diffs"))
            .put("pingIntervalMs", options.integer("ping-interval", 25_000))
            .put("pingTimeoutMs", options.integer("ping-timeout", 20_000))
            .put("connections", connections)
            .put("stayers", stayers)
            .put("rooms", rooms.count())
            .put("ratePerRoom", rate)
            .put("churnRate", churnRate)
            .put("durationS", duration)
            .put("warmupS", warmup)
            .put("clientProcesses", processes)
            .put("silentPercent", mix.silentPercent())
            .put("resetPercent", mix.resetPercent())
            .put("joinPercent", mix.joinPercent())
            .put("rssWindowS", rssWindow)
            .put("rssBaselineMb", rssBaselineMb)
            .put("rssWarmMb", rss.warmMb())
            .put("rssEndMb", rss.endMb())
            .put("rssMaxMb", rss.maxMb())
            .put("rssDriftPercent", rss.driftPercent())
            .put("rssSlopeMbPerMin", rss.slopeMbPerMin())
            .put("rssAfterCloseMb", afterClose.rssKb() / 1024.0)
            .put("heapBaselineMb", heapBaselineKb / 1024.0)
            .put("heapWarmMb", warm[1] < 0 ? null : JsonLine.rounded(warm[1] / 1024.0))
            .put("heapEndMb", heapEndKb / 1024.0)
            .put("fdsBaseline", fdsBaseline)
            .put("fdsPeak", fdsPeak)
            .put("fdsEnd", fdsEnd)
            .put("fdsSettleS", settledS)
            .put("serverCpuCoresAvg", averageCores(samples, churnStartS, end.atS()))
            .put("churnSeconds", churnSeconds)
            .put("connects", connects + stayersConnected + 1)
            .put("churnConnects", connects)
            .put("churnConnectsPerSec", connects / churnSeconds)
            .put("connectFailures", churn.getOrDefault("failed", 0L) + stayers - stayersConnected)
            .put("connectsSkipped", churn.getOrDefault("skipped", 0L))
            .put("cleanCloses", churn.getOrDefault("cleanCloses", 0L))
            .put("resets", churn.getOrDefault("resets", 0L))
            .put("silentDrops", churn.getOrDefault("silentDrops", 0L))
            .put("reapedByServer", churn.getOrDefault("reapedByServer", 0L))
            .put("slowestReapS", slowestReap)
            .put("churnerUnexpectedCloses", churn.getOrDefault("unexpectedCloses", 0L))
            .put("churnersOpenAtEnd", openAtChurnEnd)
            .put("stayersConnected", stayersConnected)
            .put("stayersJoined", stayersJoined)
            .put("stayerDisconnects", stayerDisconnects)
            .put("published", published)
            .put("stayerExpected", expectedOfConnected)
            .put("stayerReceived", received)
            .put("stayerLost", lost)
            .put("stayerDuplicates", duplicates)
            .put("latencyP50Us", latencies.getValueAtPercentile(50) / 1e3)
            .put("latencyP99Us", latencies.getValueAtPercentile(99) / 1e3)
            .put("latencyMaxUs", latencies.getMaxValue() / 1e3)
            .put("rssFlat", rss.flat())
            .put("fdsBackToBaseline", fdsEnd >= 0 && fdsEnd <= fdsBaseline)
            .put("noneLost", lost == 0 && duplicates == 0 && stayerDisconnects == 0)
            .put("loadAvg1End", loadAtEnd)
            .put("serverAlive", target.servers.get(0).alive())
            .put("limits", limits.toJson())
            .put("samples", sampler.series(0))
            .put("heapSamples", sampler.heapSeries());
      }
    }
  }

  /**
   * The CONNECT every soak client sends: with {@code --presence-diffs}, asking for batched
   * {@code presence:diff} events instead of one event per join and leave.
   */
  static String connectPacket(Options options) {
    return options.flag("presence-diffs") ? "40{\"presenceDiff\":true}" : "40";
  }

  /** A connection that stays: counts its room's numbered messages and their latency. */
  private static final class Stayer implements SioListener {
    final StayerInbox inbox;
    private final Latency latency;
    private final Counter delivered;
    private final Counter joined;
    private final String connectPacket;

    Stayer(StayerInbox inbox, Latency latency, Counter delivered, Counter joined, String connectPacket) {
      this.inbox = inbox;
      this.latency = latency;
      this.delivered = delivered;
      this.joined = joined;
      this.connectPacket = connectPacket;
    }

    @Override
    public String connectPacket() {
      return connectPacket;
    }

    @Override
    public void onEvent(SioConnection connection, String packet) {
      if (!packet.startsWith(SoakMessages.MESSAGE_PREFIX)) {
        return; // presence:join / presence:leave (or presence:diff) of churners passing through
      }
      int number = SoakMessages.number(packet);
      if (number >= 0) {
        inbox.receive(number);
        delivered.increment();
        latency.record(System.nanoTime() - SioFrames.stamp(packet));
      }
    }

    @Override
    public void onAck(SioConnection connection, long ackId, String packet) {
      joined.increment();
    }

    @Override
    public void onClose(SioConnection connection) {
      inbox.disconnected();
    }
  }

  /** Messages of a {@code published}-long round-robin stream over {@code rooms} that went to {@code room}. */
  static long publishedTo(int room, long published, int rooms) {
    return published / rooms + (room < published % rooms ? 1 : 0);
  }

  private static List<WorkerProcess> startWorkers(Options options, Target target, int processes, int pool,
      double churnRate, double duration, SoakRooms rooms) {
    String java = options.text("java", ProcessHandle.current().info().command().orElse("java"));
    String jvmOptions = options.text("client-jvm-opts", IdleWorkers.DEFAULT_CLIENT_JVM_OPTS);
    List<WorkerProcess> workers = new ArrayList<>();
    for (int i = 0; i < processes; i++) {
      workers.add(WorkerProcess.start(java, jvmOptions, "churn-worker", List.of(
          "--port", Integer.toString(target.servers.get(0).port()),
          "--pool", Integer.toString(IdleWorkers.share(pool, processes, i)),
          "--rate", Double.toString(churnRate / processes),
          "--duration", Double.toString(duration),
          "--rooms", Integer.toString(rooms.count()),
          "--subnet", Integer.toString(i + 1),
          "--sources", Integer.toString(options.integer("sources", 8)),
          "--client-threads", Integer.toString(options.integer("client-threads", 1)),
          "--max-pending", Integer.toString(options.integer("max-pending", 512)),
          "--silent-percent", Integer.toString(options.integer("silent-percent", 5)),
          "--reset-percent", Integer.toString(options.integer("reset-percent", 25)),
          "--join-percent", Integer.toString(options.integer("join-percent", 30)),
          "--presence-diffs", Boolean.toString(options.flag("presence-diffs")))));
    }
    return workers;
  }

  /** How long the server takes at most to end a silent connection: ping interval plus timeout. */
  private static double reapSeconds(Options options) {
    return (options.integer("ping-interval", 25_000) + options.integer("ping-timeout", 20_000)) / 1000.0;
  }

  /** Fails before starting anything when the server or a churning child would pass its open-file limit. */
  private static void checkFits(SystemLimits limits, int connections, int perWorker, double silentBacklogPerWorker) {
    long perProcess = limits.socketsPerProcess();
    long serverHolds = connections + (long) Math.ceil(silentBacklogPerWorker * 3);
    if (connections > perProcess) {
      throw new IllegalArgumentException(connections + " connections pass the server's open-file limit ("
          + limits.openFiles() + " per process)");
    }
    if (perWorker + silentBacklogPerWorker > perProcess) {
      throw new IllegalArgumentException("a churning child would hold " + (perWorker + (long) silentBacklogPerWorker)
          + " sockets, past the open-file limit (" + limits.openFiles() + "): use more --client-processes");
    }
    if (serverHolds > perProcess) {
      System.err.println("soak: the server may hold up to " + serverHolds + " sockets while silent ones await their ping timeout");
    }
  }

  private static double averageCores(List<ServerSampler.Sample> samples, double fromS, double toS) {
    double sum = 0;
    int n = 0;
    for (ServerSampler.Sample s : samples) {
      if (s.atS() > fromS && s.atS() <= toS) {
        sum += s.cpuCores();
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("not a worker's JSON line: " + line, e);
    }
  }
}
