package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.client.SseConnection;
import dev.switchboard.bench.client.SseListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * {@code --subscribers} EventSource streams on {@code GET /sse?rooms=bench}, spread round-robin
 * over the {@code --nodes}; a Socket.IO connection on the first node publishes to the room (see
 * {@link FanoutRun}), and every {@code event: msg} is timed from its payload's stamp.
 */
final class SseFanoutScenario implements Scenario {
  private static final String PATH = "/sse?rooms=" + FanoutRun.ROOM_NAME;
  private static final ByteBuf MSG = Unpooled.unreleasableBuffer(
      Unpooled.copiedBuffer("msg", StandardCharsets.US_ASCII).asReadOnly());

  @Override
  public JsonLine run(Options options) {
    int subscribers = options.integer("subscribers", 1000);
    String padding = SioFrames.padding(options.integer("payload", 32));
    DeliveryWindow window = new DeliveryWindow();
    SseListener subscriber = new SseListener() {
      @Override
      public void onEvent(SseConnection connection, ByteBuf type, ByteBuf data) {
        if (type.equals(MSG)) {
          window.record(SioFrames.stamp(data));
        }
      }
    };
    try (Target target = Target.start(options)) {
      ConnectionRamp.Result<SseConnection> ramp = target.ramp().openStreams(subscribers,
          options.number("connect-rate", 2000), options.integer("max-pending", 256), PATH, subscriber);
      int members = ramp.connections().size();
      SioConnection publisher = Publisher.connect(target);
      FanoutRun run = new FanoutRun("sse-fanout", target, publisher, members, window, padding, options.number("drain", 5));
      JsonLine measured = run.run(options);
      return target.header("sse-fanout")
          .put("subscribers", subscribers)
          .put("payloadBytes", padding.length())
          .put("connected", members)
          .put("failed", ramp.failed())
          .putAll(measured);
    }
  }
}
