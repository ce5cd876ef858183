package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ClientGroup;
import dev.switchboard.bench.client.SourceAddresses;
import dev.switchboard.bench.load.Pacer;
import dev.switchboard.bench.soak.ChurnPool;
import dev.switchboard.bench.soak.EndMix;
import dev.switchboard.bench.soak.SoakRooms;

/**
 * One churning load-generator child of a soak ({@link SoakScenario}): keeps a {@link ChurnPool}
 * of {@code --pool} connections to {@code --port}, opening {@code --rate} a second for
 * {@code --duration} seconds from 127.0.{@code --subnet}.2 on, then closes what is left and prints
 * its tally ({@code "phase":"report"}).
 */
final class ChurnWorkerScenario implements Scenario {
  @Override
  public JsonLine run(Options options) {
    int port = options.integer("port", 0);
    int subnet = options.integer("subnet", 1);
    SourceAddresses sources = new SourceAddresses(subnet, options.integer("sources", 8));
    EndMix mix = SoakScenario.mix(options);
    try (ClientGroup group = new ClientGroup(new int[] {port}, options.integer("client-threads", 1), sources)) {
      ChurnPool pool = new ChurnPool(group, options.integer("pool", 1000), options.integer("max-pending", 512),
          new SoakRooms(options.integer("rooms", 4)), mix, "w" + subnet, SoakScenario.connectPacket(options));
      long start = System.nanoTime();
      Pacer.run(options.number("rate", 100), options.number("duration", 10), (due, i) -> pool.connectNext(i));
      double churnSeconds = (System.nanoTime() - start) / 1e9;
      JsonLine atEnd = pool.tally();
      pool.closeAll(30);
      return pool.tally()
          .put("phase", "report")
          .put("churnSeconds", churnSeconds)
          .put("openAtChurnEnd", atEnd);
    }
  }
}
