package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.floor.FloorBench;
import dev.switchboard.bench.load.RunInfo;

/**
 * The physical floor, no server: {@code --sockets} loopback pairs, {@code --frames-per-write}
 * frames per write(), {@code --messages} in all (at most {@code --max-seconds}).
 */
final class FloorScenario implements Scenario {
  @Override
  public JsonLine run(Options options) {
    FloorBench bench = new FloorBench(
        options.integer("sockets", 1000),
        options.integer("frames-per-write", 1),
        options.integer("messages", 2_000_000),
        options.number("max-seconds", 20),
        options.integer("payload", 32));
    return RunInfo.header("floor", "kernel").putAll(bench.run());
  }
}
