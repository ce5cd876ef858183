package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.load.Counter;
import dev.switchboard.bench.load.CpuWindow;
import dev.switchboard.bench.load.Latency;
import dev.switchboard.bench.load.Pacer;
import dev.switchboard.bench.load.RunInfo;
import java.util.List;

/**
 * A large room with presence on, once with per-change presence events and once with batched
 * diffs, side by side in one line (Switchboard only). {@code --members} connections fill room
 * {@code presence-bench} as tabs of one user (so filling it costs no arrival per member: one
 * user's tabs are announced once), {@code --churners} connections of their own users join and
 * leave it in turn, {@code --churn-rate} changes a second, while one more publishes ordinary
 * messages to it at {@code --rate}/s. Each run starts a fresh server; in the second, the members
 * ask for {@code presence:diff} (window {@code --presence-diff-interval} ms). Reported per run:
 * the messages' latency, the server's CPU and the presence frames members received.
 */
final class PresenceScenario implements Scenario {
  static final String ROOM_NAME = "presence-bench";
  private static final String ROOM = SioFrames.quoted(ROOM_NAME);
  private static final String MESSAGE_PREFIX = "42[\"msg\"";
  private static final String PRESENCE_PREFIX = "42[\"presence:";

  @Override
  public JsonLine run(Options options) {
    if (!options.text("peer", "switchboard").equals("switchboard")) {
      throw new IllegalArgumentException("presence: Switchboard only (Node's socket.io has no presence)");
    }
    if (!options.text("parser", "json").equals("json")) {
      throw new IllegalArgumentException("presence: the JSON parser only (members send an auth payload)");
    }
    JsonLine events = measure(options, false);
    JsonLine diffs = measure(options, true);
    return RunInfo.header("presence", "switchboard")
        .put("members", options.integer("members", 10_000))
        .put("churners", options.integer("churners", 50))
        .put("churnPerSec", options.number("churn-rate", 100))
        .put("rate", options.number("rate", 10))
        .put("presenceDiffIntervalMs", options.integer("presence-diff-interval", 200))
        .put("events", events)
        .put("diffs", diffs);
  }

  private static JsonLine measure(Options options, boolean diffs) {
    int members = options.integer("members", 10_000);
    int churners = options.integer("churners", 50);
    double churnRate = options.number("churn-rate", 100);
    double rate = options.number("rate", 10);
    double warmup = options.number("warmup", 3);
    double duration = options.number("duration", 15);
    String padding = SioFrames.padding(options.integer("payload", 32));
    String connect = "40{\"user\":{\"id\":\"audience\"}" + (diffs ? ",\"presenceDiff\":true}" : "}");
    DeliveryWindow window = new DeliveryWindow();
    Counter joined = new Counter();
    Counter presenceFrames = new Counter();
    SioListener member = new SioListener() {
      @Override
      public String connectPacket() {
        return connect;
      }

      @Override
      public void onEvent(SioConnection connection, String packet) {
        if (packet.startsWith(MESSAGE_PREFIX)) {
          window.record(SioFrames.stamp(packet));
        } else if (packet.startsWith(PRESENCE_PREFIX)) {
          presenceFrames.increment();
        }
      }

      @Override
      public void onAck(SioConnection connection, long ackId, String packet) {
        joined.increment();
      }
    };
    try (Target target = Target.start(options)) {
      ConnectionRamp.Result<SioConnection> ramp = target.ramp()
          .open(members, options.number("connect-rate", 2000), options.integer("max-pending", 256), i -> member);
      ramp.connections().forEach(connection -> connection.emitWithAck("join", ROOM));
      long joinedCount = joined.awaitAtLeast(ramp.connections().size(), 60);
      List<SioConnection> churning = target.ramp().open(churners, 0, churners, i -> SioListener.NONE).connections();
      SioConnection publisher = Publisher.connect(target);

      boolean[] inRoom = new boolean[churning.size()];
      Thread churn = Thread.ofPlatform().name("presence-churn").start(() -> Pacer.run(churnRate, warmup + duration,
          (intended, i) -> {
            int c = (int) (i % inRoom.length);
            churning.get(c).emit(inRoom[c] ? "leave" : "join", ROOM);
            inRoom[c] = !inRoom[c];
          }));
      Pacer.Send publish = (intended, i) -> publisher.emit("publish", ROOM, SioFrames.payload(intended, padding));
      Pacer.run(rate, warmup, publish);
      CpuWindow cpu = new CpuWindow(target.nodeStats());
      long base = window.open();
      long presenceBase = presenceFrames.value();
      cpu.start();
      long published = Pacer.run(rate, duration, publish);
      cpu.stop();
      long presenceInWindow = presenceFrames.value() - presenceBase;
      long expected = published * joinedCount;
      long delivered = window.inWindow().awaitAtLeast(base + expected, options.number("drain", 5)) - base;
      join(churn);
      return new JsonLine()
          .put("membersAskDiffs", diffs)
          .put("connected", ramp.connections().size())
          .put("joined", joinedCount)
          .put("published", published)
          .put("expected", expected)
          .put("delivered", delivered)
          .put("lost", expected - delivered)
          .putAll(Latency.report(window.latency().snapshot()))
          .put("serverCpuCores", cpu.serverMicros() / 1e6 / cpu.wallSeconds())
          .put("serverCpuMs", cpu.serverMicros() / 1e3)
          .put("presenceFramesPerSec", presenceInWindow / cpu.wallSeconds())
          .put("machineCpuBusy", JsonLine.rounded(cpu.machineBusy()))
          .put("otherCpuCores", JsonLine.rounded(cpu.otherCores()))
          .put("serverRssMb", target.rssKb() / 1024.0);
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
