package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.load.CpuWindow;
import dev.switchboard.bench.load.Pacer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a join or leave costs a node on the Redis adapter with connection state recovery on, with
 * and without the connected sockets' state kept in Redis as it changes ({@code --live-sessions}):
 * {@code --connections} sockets join and leave {@code --rooms} rooms in turn, {@code --churn-rate}
 * changes a second, while one more socket per room stays in it (so no change subscribes or
 * unsubscribes a room's channel). Run twice on fresh servers, live sessions off then on; each run
 * reports the server's and Redis's CPU per change and the Redis commands per change (from
 * {@code INFO commandstats} before and after the window).
 */
final class RoomChurnScenario implements Scenario {
  @Override
  public JsonLine run(Options options) {
    Options base = options.with("kept", "true").with("redis", "true");
    JsonLine off = measure(base.with("live-sessions", "false"));
    JsonLine on = measure(base.with("live-sessions", "true"));
    return new JsonLine()
        .put("scenario", "room-churn")
        .put("connections", options.integer("connections", 2000))
        .put("rooms", options.integer("rooms", 20))
        .put("churnPerSec", options.number("churn-rate", 2000))
        .put("liveSessionsOff", off)
        .put("liveSessionsOn", on);
  }

  private static JsonLine measure(Options options) {
    int connections = options.integer("connections", 2000);
    int rooms = options.integer("rooms", 20);
    double churnRate = options.number("churn-rate", 2000);
    double warmup = options.number("warmup", 3);
    double duration = options.number("duration", 15);
    try (Target target = Target.start(options);
        RedisClient client = RedisClient.create(target.redisUri());
        StatefulRedisConnection<String, String> redis = client.connect()) {
      List<SioConnection> anchors = target.ramp().open(rooms, 0, rooms, i -> SioListener.NONE).connections();
      for (int r = 0; r < anchors.size(); r++) {
        anchors.get(r).emit("join", room(r));
      }
      List<SioConnection> churning = target.ramp()
          .open(connections, options.number("connect-rate", 2000), 256, i -> SioListener.NONE).connections();
      boolean[] inRoom = new boolean[churning.size()];
      Pacer.Send change = (intended, i) -> {
        int c = (int) (i % inRoom.length);
        churning.get(c).emit(inRoom[c] ? "leave" : "join", room(c % rooms));
        inRoom[c] = !inRoom[c];
      };
      Pacer.run(churnRate, warmup, change);
      Map<String, Long> before = commandCalls(redis);
      CpuWindow server = new CpuWindow(target.nodeStats());
      CpuWindow redisCpu = new CpuWindow(target.redisStats());
      dev.switchboard.bench.profile.ServerProfiler profiler =
          target.startProfiler("room-churn-live-sessions-" + options.text("live-sessions", "true"));
      server.start();
      redisCpu.start();
      long changes = Pacer.run(churnRate, duration, change);
      server.stop();
      redisCpu.stop();
      target.stopProfiler(profiler);
      Map<String, Long> after = commandCalls(redis);
      Map<String, Long> delta = new HashMap<>();
      after.forEach((command, calls) -> {
        long more = calls - before.getOrDefault(command, 0L);
        if (more > 0) {
          delta.put(command, more);
        }
      });
      long commands = delta.values().stream().mapToLong(Long::longValue).sum();
      JsonLine perCommand = new JsonLine();
      delta.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
          .forEach(entry -> perCommand.put(entry.getKey(), JsonLine.rounded(entry.getValue() / (double) changes)));
      return new JsonLine()
          .put("liveSessions", options.text("live-sessions", "true"))
          .put("connected", churning.size())
          .put("changes", changes)
          .put("serverCpuCores", server.serverMicros() / 1e6 / server.wallSeconds())
          .put("serverCpuUsPerJoinLeave", 2.0 * server.serverMicros() / changes)
          .put("redisCpuUsPerJoinLeave", 2.0 * redisCpu.serverMicros() / changes)
          .put("redisCommandsPerChange", JsonLine.rounded(commands / (double) changes))
          .put("redisCommandsPerChangeByName", perCommand)
          .put("machineCpuBusy", JsonLine.rounded(server.machineBusy()));
    }
  }

  private static String room(int index) {
    return SioFrames.quoted("churn-" + index);
  }

  /** Calls of each command so far, from {@code INFO commandstats} ({@code cmdstat_<name>:calls=N,...}). */
  private static Map<String, Long> commandCalls(StatefulRedisConnection<String, String> redis) {
    Map<String, Long> calls = new HashMap<>();
    for (String line : redis.sync().info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_")) {
        int colon = line.indexOf(':');
        int from = line.indexOf("calls=", colon) + "calls=".length();
        int to = line.indexOf(',', from);
        calls.put(line.substring("cmdstat_".length(), colon), Long.parseLong(line.substring(from, to)));
      }
    }
    return calls;
  }
}
