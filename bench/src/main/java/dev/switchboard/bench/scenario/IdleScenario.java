package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.load.Counter;
import dev.switchboard.bench.load.CpuWindow;

/**
 * Ramps {@code --connections} at {@code --rate}/s, holds them {@code --hold} seconds (answering
 * pings), and reports server memory per connection and whether any connection dropped.
 */
final class IdleScenario implements Scenario {
  @Override
  public JsonLine run(Options options) {
    int connections = options.integer("connections", 5000);
    double rate = options.number("rate", 1000);
    double hold = options.number("hold", 30);
    try (Target target = Target.start(options)) {
      Sleep.seconds(options.number("settle", 1));
      long baselineKb = target.stats.rssKb();
      Counter closed = new Counter();
      SioListener listener = new SioListener() {
        @Override
        public void onClose(SioConnection connection) {
          closed.increment();
        }
      };
      ConnectionRamp.Result<SioConnection> ramp = target.ramp().open(connections, rate, options.integer("max-pending", 256), i -> listener);
      CpuWindow cpu = new CpuWindow(target.stats);
      cpu.start();
      Sleep.seconds(hold);
      cpu.stop();
      long open = ramp.connections().stream().filter(SioConnection::isOpen).count();
      long rssKb = target.stats.rssKb();
      int connected = ramp.connections().size();
      JsonLine line = target.header("idle")
          .put("connections", connections)
          .put("rampRate", rate)
          .put("holdS", hold)
          .put("connected", connected)
          .put("failed", ramp.failed())
          .put("dropped", closed.value())
          .put("openAfterHold", open)
          .put("rampSeconds", ramp.elapsedNanos() / 1e9)
          .put("serverRssBaselineMb", baselineKb / 1024.0)
          .put("serverRssMb", rssKb / 1024.0)
          .put("serverRssPerConnKb", connected == 0 ? 0.0 : (rssKb - baselineKb) / (double) connected)
          .put("serverCpuMsHold", cpu.serverMicros() / 1e3)
          .put("serverAlive", target.servers.get(0).alive());
      return line;
    }
  }
}
