package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;

/** One measurement: runs bounded in time and returns its single result line. */
public interface Scenario {
  JsonLine run(Options options);

  /** The scenario for a command-line name. */
  static Scenario named(String name) {
    return switch (name) {
      case "idle" -> new IdleScenario();
      case "idle-worker" -> new IdleWorkerScenario();
      case "fanout" -> new FanoutScenario();
      case "sse-fanout" -> new SseFanoutScenario();
      case "echo" -> new EchoScenario();
      case "kept-cost" -> new KeptCostScenario();
      case "floor" -> new FloorScenario();
      case "presence" -> new PresenceScenario();
      case "room-churn" -> new RoomChurnScenario();
      case "failover" -> new FailoverScenario();
      case "soak" -> new SoakScenario();
      case "churn-worker" -> new ChurnWorkerScenario();
      default -> throw new IllegalArgumentException(
          "unknown scenario '" + name + "' (idle, fanout, sse-fanout, echo, kept-cost, floor, presence, room-churn, failover, soak)");
    };
  }
}
