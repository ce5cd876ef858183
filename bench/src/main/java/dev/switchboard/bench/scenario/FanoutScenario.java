package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.load.Counter;

/**
 * {@code --subscribers} Socket.IO connections join one room, spread round-robin over the
 * {@code --nodes}; one more connection, on the first node, publishes to it (see
 * {@link FanoutRun}). Every delivery's latency is now minus the publisher's stamp; server CPU,
 * summed over the nodes, is divided by the deliveries.
 */
final class FanoutScenario implements Scenario {
  private static final String ROOM = SioFrames.quoted(FanoutRun.ROOM_NAME);

  @Override
  public JsonLine run(Options options) {
    int subscribers = options.integer("subscribers", 1000);
    String padding = options.flag("text-payload") ? SioFrames.words(options.integer("payload", 32))
        : SioFrames.padding(options.integer("payload", 32));
    DeliveryWindow window = new DeliveryWindow();
    Counter joined = new Counter();
    SioListener subscriber = new SioListener() {
      @Override
      public void onEvent(SioConnection connection, String packet) {
        window.record(SioFrames.stamp(packet));
      }

      @Override
      public void onAck(SioConnection connection, long ackId, String packet) {
        joined.increment();
      }
    };
    try (Target target = Target.start(options)) {
      ConnectionRamp.Result<SioConnection> ramp = target.ramp()
          .open(subscribers, options.number("connect-rate", 2000), options.integer("max-pending", 256), i -> subscriber);
      for (SioConnection connection : ramp.connections()) {
        connection.emitWithAck("join", ROOM);
      }
      int members = ramp.connections().size();
      long joinedCount = joined.awaitAtLeast(members, 30);
      SioConnection publisher = Publisher.connect(target);
      FanoutRun run = new FanoutRun("fanout", target, publisher, joinedCount, window, padding, options.number("drain", 5));
      JsonLine measured = run.run(options);
      return target.header("fanout")
          .put("subscribers", subscribers)
          .put("payloadBytes", padding.length())
          .put("connected", members)
          .put("joined", joinedCount)
          .putAll(measured);
    }
  }
}
