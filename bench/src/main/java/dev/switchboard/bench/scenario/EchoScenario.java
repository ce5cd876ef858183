package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.load.Counter;
import dev.switchboard.bench.load.CpuWindow;
import dev.switchboard.bench.load.Latency;
import dev.switchboard.bench.load.Pacer;
import dev.switchboard.bench.profile.ServerProfiler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * Acknowledged {@code echo} round trips from {@code --clients} connections. {@code --mode closed}:
 * each client sends the next echo when the previous ack arrives. {@code --mode open}: echoes leave
 * at {@code --rate} per second round-robin over the clients, whatever the answers do, and latency
 * counts from the time each was due. {@code --publish}: each client first joins a room of its own and
 * sends {@code publish-ack(room, payload)} instead, a broadcast to that room answered with an ack
 * (with {@code --kept} on Switchboard, kept in history and for recovery as the standalone server
 * keeps it).
 */
final class EchoScenario implements Scenario {
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile boolean running = true;
  private volatile boolean recording = true;
  /** With {@code --publish}: each connection's own room, as a JSON string. */
  private final Map<SioConnection, String> ownRooms = new ConcurrentHashMap<>();

  @Override
  public JsonLine run(Options options) {
    String mode = options.text("mode", "closed");
    if (!mode.equals("closed") && !mode.equals("open")) {
      throw new IllegalArgumentException("--mode closed or open, got " + mode);
    }
    boolean closedLoop = mode.equals("closed");
    int clients = options.integer("clients", 100);
    double rate = options.number("rate", 10_000);
    double duration = options.number("duration", 10);
    double warmup = options.number("warmup", 2);
    String padding = SioFrames.padding(options.integer("payload", 32));
    boolean publish = options.flag("publish");
    Latency latency = new Latency();
    Counter acks = new Counter();
    StampedAcks listener = new StampedAcks() {
      @Override
      void onStamped(SioConnection connection, long stamp, long now) {
        if (stamp >= windowStart && recording) {
          latency.record(now - stamp);
          acks.increment();
        }
        if (closedLoop && running) {
          request(connection, publish, SioFrames.payload(System.nanoTime(), padding));
        }
      }
    };
    try (Target target = Target.start(options)) {
      ConnectionRamp.Result<SioConnection> ramp = target.ramp()
          .open(clients, options.number("connect-rate", 2000), options.integer("max-pending", 256), i -> listener);
      List<SioConnection> connections = ramp.connections();
      if (connections.isEmpty()) {
        throw new IllegalStateException("no client could connect");
      }
      if (publish) {
        for (int i = 0; i < connections.size(); i++) {
          ownRooms.put(connections.get(i), SioFrames.quoted("echo-" + i));
          connections.get(i).emitWithAck("join", ownRooms.get(connections.get(i)));
        }
        if (listener.joins.awaitAtLeast(connections.size(), 30) < connections.size()) {
          throw new IllegalStateException("not every client could join its room");
        }
      }
      CpuWindow cpu = new CpuWindow(target.stats);
      long sent = 0;
      long counted;
      Histogram latencies;
      if (closedLoop) {
        for (SioConnection connection : connections) {
          request(connection, publish, SioFrames.payload(System.nanoTime(), padding));
        }
        Sleep.seconds(warmup);
        windowStart = System.nanoTime();
        latency.reset();
        ServerProfiler profiler = target.startProfiler("echo-closed" + profileSuffix(publish, options));
        cpu.start();
        Sleep.seconds(duration);
        recording = false;
        running = false;
        cpu.stop();
        target.stopProfiler(profiler);
        latencies = latency.snapshot();
        counted = latencies.getTotalCount();
      } else {
        int size = connections.size();
        Pacer.Send send = (intended, i) ->
            request(connections.get((int) (i % size)), publish, SioFrames.payload(intended, padding));
        Pacer.run(rate, warmup, send);
        windowStart = System.nanoTime();
        latency.reset();
        ServerProfiler profiler = target.startProfiler("echo-open" + profileSuffix(publish, options));
        cpu.start();
        sent = Pacer.run(rate, duration, send);
        counted = acks.awaitAtLeast(sent, options.number("drain", 5));
        cpu.stop();
        target.stopProfiler(profiler);
        latencies = latency.snapshot();
      }
      JsonLine line = target.header("echo")
          .put("mode", mode)
          .put("request", publish ? "publish-ack" : "echo")
          .put("kept", options.flag("kept"))
          .put("clients", clients)
          .put("rate", closedLoop ? null : rate)
          .put("durationS", duration)
          .put("payloadBytes", padding.length())
          .put("connected", connections.size());
      if (!closedLoop) {
        line.put("sent", sent).put("lost", sent - counted);
      }
      return line
          .put("acks", counted)
          .put("acksPerSec", counted / duration)
          .putAll(Latency.report(latencies))
          .put("serverCpuMs", cpu.serverMicros() / 1e3)
          .put("serverCpuUsPerRoundTrip", counted == 0 ? 0.0 : cpu.serverMicros() / (double) counted)
          .put("serverCpuCores", cpu.serverMicros() / 1e6 / cpu.wallSeconds())
          .put("loadGenCpuUsPerRoundTrip", counted == 0 ? 0.0 : cpu.loadGenMicros() / (double) counted)
          .put("machineCpuBusy", JsonLine.rounded(cpu.machineBusy()))
          .put("otherCpuCores", JsonLine.rounded(cpu.otherCores()))
          .put("serverRssMb", target.stats.rssKb() / 1024.0);
    }
  }

  /** Sends one request whose answer carries {@code payload} back. */
  private void request(SioConnection connection, boolean publish, String payload) {
    if (publish) {
      connection.emitWithAck("publish-ack", ownRooms.get(connection), payload);
    } else {
      connection.emitWithAck("echo", payload);
    }
  }

  /** What tells a publish echo's profile from a plain one's, kept or not. */
  private static String profileSuffix(boolean publish, Options options) {
    return !publish ? "" : options.flag("kept") ? "-publish-kept" : "-publish";
  }
}
