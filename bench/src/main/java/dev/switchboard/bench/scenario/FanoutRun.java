package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.load.CpuWindow;
import dev.switchboard.bench.load.Latency;
import dev.switchboard.bench.load.Pacer;
import dev.switchboard.bench.proc.ProcStats;
import dev.switchboard.bench.profile.ServerProfiler;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The publishing half of a fan-out: one Socket.IO connection publishes to the room that
 * {@code members} subscribers follow, at a fixed {@code --rate}, or, with {@code --sweep}, at
 * stepped rates to find the highest one whose deliveries keep p99 within {@code --p99-bound-ms}
 * with none lost. Steps double from {@code --rate} until one misses the bound, then bisect
 * (geometrically) between the last rate that held and the first that did not, until they are
 * within {@code --sweep-resolution} of each other or {@code --max-steps} ran.
 */
final class FanoutRun {
  static final String ROOM_NAME = "bench";
  private static final String ROOM = SioFrames.quoted(ROOM_NAME);
  private static final double SETTLE_SECONDS = 0.5;

  private final String scenario;
  private final Target target;
  private final SioConnection publisher;
  private final long members;
  private final DeliveryWindow window;
  private final String padding;
  private final double drain;
  private long publishedSoFar;

  FanoutRun(String scenario, Target target, SioConnection publisher, long members, DeliveryWindow window, String padding,
      double drain) {
    this.scenario = scenario;
    this.target = target;
    this.publisher = publisher;
    this.members = members;
    this.window = window;
    this.padding = padding;
    this.drain = drain;
    target.writes();
  }

  /** One measured rate. */
  record Step(double rate, double duration, long published, long expected, long delivered, Histogram latencies,
      CpuWindow servers, CpuWindow redis, long writes) {
    long lost() {
      return expected - delivered;
    }

    double p99Micros() {
      return latencies.getValueAtPercentile(99) / 1e3;
    }

    boolean within(double p99BoundMicros) {
      return lost() == 0 && delivered > 0 && p99Micros() <= p99BoundMicros;
    }

    /** The short form listed for every step of a sweep. */
    JsonLine summary() {
      return new JsonLine()
          .put("rate", rate)
          .put("deliveredPerSec", delivered / duration)
          .put("lost", lost())
          .put("latencyP99Us", p99Micros())
          .put("serverCpuUsPerDelivery", perDelivery(servers.serverMicros()))
          .put("machineCpuBusy", JsonLine.rounded(servers.machineBusy()));
    }

    double perDelivery(double amount) {
      return delivered == 0 ? 0.0 : amount / delivered;
    }
  }

  /** Runs the fixed rate or the sweep the options ask for; returns the measured fields. */
  JsonLine run(Options options) {
    double warmup = options.number("warmup", 2);
    double duration = options.number("duration", 10);
    double rate = options.number("rate", 10);
    if (!options.flag("sweep")) {
      return fields(measure(rate, warmup, duration));
    }
    double boundMicros = options.number("p99-bound-ms", 100) * 1e3;
    double factor = options.number("sweep-factor", 2);
    double resolution = options.number("sweep-resolution", 1.15);
    double maxRate = options.number("max-rate", 100_000);
    int maxSteps = options.integer("max-steps", 8);
    List<Step> steps = new ArrayList<>();
    Step best = null;
    double bad = Double.NaN;
    for (int i = 0; i < maxSteps && rate >= 1; i++) {
      Step step = measure(rate, warmup, duration);
      steps.add(step);
      if (step.within(boundMicros)) {
        best = best == null || step.rate() > best.rate() ? step : best;
      } else {
        bad = Double.isNaN(bad) ? rate : Math.min(bad, rate);
      }
      double next = nextRate(best == null ? Double.NaN : best.rate(), bad, factor, maxRate);
      if (Double.isNaN(next) || (!Double.isNaN(bad) && best != null && bad / best.rate() <= resolution)) {
        break;
      }
      settle();
      rate = next;
    }
    Step reported = best != null ? best : steps.get(0);
    return new JsonLine()
        .put("sweep", true)
        .put("p99BoundMs", boundMicros / 1e3)
        .put("maxRate", best == null ? 0.0 : best.rate())
        .put("maxDeliveredPerSec", best == null ? 0.0 : best.delivered() / best.duration())
        .put("saturated", !Double.isNaN(bad))
        .put("steps", steps.stream().map(Step::summary).toList())
        .putAll(fields(reported));
  }

  /** Doubling while every step held; the geometric middle once one did not; NaN when done. */
  private static double nextRate(double good, double bad, double factor, double maxRate) {
    if (Double.isNaN(bad)) {
      double up = Math.round(good * factor);
      return up > maxRate ? Double.NaN : up;
    }
    if (Double.isNaN(good)) {
      return Math.floor(bad / factor);
    }
    double middle = Math.round(Math.sqrt(good * bad));
    return middle <= good || middle >= bad ? Double.NaN : middle;
  }

  private Step measure(double rate, double warmup, double duration) {
    Pacer.Send publish = (intended, i) -> publisher.emit("publish", ROOM, SioFrames.payload(intended, padding));
    publishedSoFar += Pacer.run(rate, warmup, publish);
    CpuWindow servers = new CpuWindow(target.nodeStats());
    ProcStats redisStats = target.redisStats();
    CpuWindow redis = redisStats == null ? null : new CpuWindow(redisStats);
    long base = window.open();
    long from = System.nanoTime();
    ServerProfiler profiler = target.startProfiler(scenario);
    servers.start();
    if (redis != null) {
      redis.start();
    }
    long published = Pacer.run(rate, duration, publish);
    publishedSoFar += published;
    long expected = published * members;
    long delivered = window.inWindow().awaitAtLeast(base + expected, drain) - base;
    servers.stop();
    target.stopProfiler(profiler);
    long to = System.nanoTime();
    if (redis != null) {
      redis.stop();
    }
    Histogram latencies = window.latency().snapshot();
    long writes = target.writes().between(from, to);
    return new Step(rate, duration, published, expected, delivered, latencies, servers, redis, writes);
  }

  /** Lets the backlog of an overloaded step arrive (bounded) before the next one. */
  private void settle() {
    window.all().awaitAtLeast(publishedSoFar * members, drain);
    Sleep.seconds(SETTLE_SECONDS);
  }

  private JsonLine fields(Step step) {
    CpuWindow cpu = step.servers();
    long writes = step.writes();
    JsonLine line = new JsonLine()
        .put("rate", step.rate())
        .put("durationS", step.duration())
        .put("published", step.published())
        .put("expected", step.expected())
        .put("delivered", step.delivered())
        .put("lost", step.lost())
        .put("deliveredPerSec", step.delivered() / step.duration())
        .putAll(Latency.report(step.latencies()))
        .put("serverCpuMs", cpu.serverMicros() / 1e3)
        .put("serverCpuUsPerDelivery", step.perDelivery(cpu.serverMicros()))
        .put("serverCpuCores", cpu.serverMicros() / 1e6 / cpu.wallSeconds())
        .put("serverWrites", writes < 0 ? null : writes)
        .put("deliveriesPerWrite", writes <= 0 ? null : JsonLine.rounded(step.delivered() / (double) writes))
        .put("loadGenCpuUsPerDelivery", step.perDelivery(cpu.loadGenMicros()))
        .put("machineCpuBusy", JsonLine.rounded(cpu.machineBusy()))
        .put("otherCpuCores", JsonLine.rounded(cpu.otherCores()));
    if (cpu.servers() > 1) {
      List<Double> perNode = new ArrayList<>();
      for (int i = 0; i < cpu.servers(); i++) {
        perNode.add(JsonLine.rounded(step.perDelivery(cpu.serverMicros(i))));
      }
      line.put("serverCpuUsPerDeliveryByNode", perNode);
    }
    if (step.redis() != null) {
      line.put("redisCpuUsPerDelivery", step.perDelivery(step.redis().serverMicros()));
    }
    line.put("serverRssMb", target.rssKb() / 1024.0);
    if (target.servers.size() > 1) {
      line.put("serverRssMbByNode", target.nodeStats().stream().map(s -> JsonLine.rounded(s.rssKb() / 1024.0)).toList());
    }
    return line;
  }
}
