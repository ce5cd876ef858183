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

/**
 * {@code --subscribers} join one room; one more connection publishes {@code --rate} messages a
 * second to it for {@code --duration} seconds (after {@code --warmup}). Every delivery's latency
 * is now minus the publisher's stamp; server CPU is divided by the deliveries.
 */
final class FanoutScenario implements Scenario {
  private static final String ROOM = SioFrames.quoted("bench");

  private volatile long windowStart = Long.MAX_VALUE;

  @Override
  public JsonLine run(Options options) {
    int subscribers = options.integer("subscribers", 1000);
    double rate = options.number("rate", 10);
    double duration = options.number("duration", 10);
    double warmup = options.number("warmup", 2);
    String padding = SioFrames.padding(options.integer("payload", 32));
    Latency latency = new Latency();
    Counter delivered = new Counter();
    Counter joined = new Counter();
    SioListener subscriber = new SioListener() {
      @Override
      public void onEvent(SioConnection connection, String packet) {
        long now = System.nanoTime();
        long stamp = SioFrames.stamp(packet);
        if (stamp >= windowStart) {
          latency.record(now - stamp);
          delivered.increment();
        }
      }

      @Override
      public void onAck(SioConnection connection, long ackId, String packet) {
        joined.increment();
      }
    };
    try (Target target = Target.start(options)) {
      ConnectionRamp.Result ramp = target.ramp()
          .open(subscribers, options.number("connect-rate", 2000), options.integer("max-pending", 256), i -> subscriber);
      for (SioConnection connection : ramp.connections()) {
        connection.emitWithAck("join", ROOM);
      }
      int members = ramp.connections().size();
      long joinedCount = joined.awaitAtLeast(members, 30);
      ConnectionRamp.Result publishers = target.ramp().open(1, 0, 1, i -> SioListener.NONE);
      if (publishers.connections().isEmpty()) {
        throw new IllegalStateException("the publisher could not connect");
      }
      SioConnection publisher = publishers.connections().get(0);
      Pacer.Send publish = (intended, i) -> publisher.emit("publish", ROOM, SioFrames.payload(intended, padding));
      Pacer.run(rate, warmup, publish);

      CpuWindow cpu = new CpuWindow(target.stats);
      windowStart = System.nanoTime();
      latency.reset();
      cpu.start();
      long published = Pacer.run(rate, duration, publish);
      long expected = published * joinedCount;
      long got = delivered.awaitAtLeast(expected, options.number("drain", 5));
      cpu.stop();
      return target.header("fanout")
          .put("subscribers", subscribers)
          .put("rate", rate)
          .put("durationS", duration)
          .put("payloadBytes", padding.length())
          .put("connected", members)
          .put("joined", joinedCount)
          .put("published", published)
          .put("expected", expected)
          .put("delivered", got)
          .put("lost", expected - got)
          .put("deliveredPerSec", got / duration)
          .putAll(latency.report())
          .put("serverCpuMs", cpu.serverMicros() / 1e3)
          .put("serverCpuUsPerDelivery", got == 0 ? 0.0 : cpu.serverMicros() / (double) got)
          .put("serverCpuCores", cpu.serverMicros() / 1e6 / cpu.wallSeconds())
          .put("loadGenCpuUsPerDelivery", got == 0 ? 0.0 : cpu.loadGenMicros() / (double) got)
          .put("serverRssMb", target.stats.rssKb() / 1024.0);
    }
  }
}
