package dev.switchboard.bench.report;

import java.util.Locale;
import java.util.Optional;

/**
 * Cases that differ only in the load they put on one server: one line of the latency chart. The
 * load varies along the line (a fan-out's or an open-loop echo's rate, a closed-loop echo's client
 * count); everything else (subscribers, loop mode, request kind, options) names the family.
 *
 * @param scenario {@code fanout} or {@code echo}
 * @param label what the cases share, e.g. {@code fan-out, 1,000 subscribers, write delay 5 ms}
 */
record CaseFamily(String scenario, String label) {
  /** The family of a one-node fan-out or echo case; empty for the others (sweeps, Redis, other scenarios). */
  static Optional<CaseFamily> of(Result result) {
    if (result.redis() || result.nodes() > 1 || result.sweep()) {
      return Optional.empty();
    }
    return switch (result.scenario()) {
      case "fanout" -> Optional.of(new CaseFamily("fanout", fanoutLabel(result)));
      case "echo" -> Optional.of(new CaseFamily("echo", echoLabel(result)));
      default -> Optional.empty();
    };
  }

  /** Where a case lies along its family's line: the publish rate, or a closed loop's client count. */
  static double load(Result result) {
    return closedLoop(result) ? result.number("clients") : result.number("rate");
  }

  private static String fanoutLabel(Result r) {
    StringBuilder label = new StringBuilder("fan-out, ").append(count(r.integer("subscribers"))).append(" subscribers");
    if (r.writeDelayMs() > 0) {
      label.append(", write delay ").append(r.writeDelayMs()).append(" ms");
    }
    if (r.serverThreads() > 0) {
      label.append(", ").append(r.serverThreads()).append(r.serverThreads() == 1 ? " event loop" : " event loops");
    }
    return label.append(parser(r)).toString();
  }

  private static String echoLabel(Result r) {
    String request = !r.publishRequest() ? "echo" : r.flag("kept") ? "kept publish" : "publish";
    String loop = closedLoop(r) ? ", closed loop" : ", open loop, " + count(r.integer("clients")) + " clients";
    return request + loop + parser(r);
  }

  private static boolean closedLoop(Result r) {
    return r.scenario().equals("echo") && !"open".equals(r.text("mode"));
  }

  private static String parser(Result r) {
    return r.parser().equals("json") ? "" : ", " + r.parser();
  }

  private static String count(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }
}
