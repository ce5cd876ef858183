package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/** One result line, and the case it measures (the parameters that must match to compare peers). */
record Result(JsonNode fields) {
  String scenario() {
    return text("scenario");
  }

  String peer() {
    return text("peer");
  }

  String time() {
    return text("time");
  }

  /** The parameters of the case, e.g. {@code subscribers=1000 rate=100/s nodes=2 (Redis)}. */
  String caseName() {
    return switch (scenario()) {
      case "fanout", "sse-fanout" -> fanoutCase() + parserOption() + pinning();
      case "echo" -> ("open".equals(text("mode"))
          ? "open clients=" + integer("clients") + " rate=" + integer("rate") + "/s"
          : "closed clients=" + integer("clients")) + echoRequest() + parserOption() + pinning();
      case "idle" -> idleCase();
      case "kept-cost" -> "clients=" + integer("clients") + " rate=" + integer("rate") + "/s windows=" + integer("windows")
          + " of " + java.math.BigDecimal.valueOf(number("windowS")).stripTrailingZeros().toPlainString() + " s"
          + pinning();
      case "floor" -> "sockets=" + integer("sockets") + " frames/write=" + integer("framesPerWrite");
      case "presence" -> "members=" + integer("members") + " churn=" + integer("churnPerSec") + "/s rate="
          + integer("rate") + "/s";
      case "failover" -> "subscribers=" + integer("subscribers") + " rooms=" + integer("rooms") + " rate="
          + integer("ratePerPublisher") + "/s kills=" + integer("kills") + " nodes=" + nodes();
      case "soak" -> "connections=" + integer("connections") + " churn=" + integer("churnRate") + "/s duration="
          + integer("durationS") + "s" + (flag("presenceDiffs") ? " presence-diffs" : "");
      default -> fields.toString();
    };
  }

  /** What an echo asks: nothing more for the plain echo, else the publish, kept or not. */
  private String echoRequest() {
    if (!publishRequest()) {
      return "";
    }
    return flag("kept") ? " publish kept" : " publish";
  }

  /** The server's Socket.IO parser when not the default JSON one (its runs are cases of their own). */
  private String parserOption() {
    String parser = parser();
    return parser.equals("json") ? "" : " parser=" + parser;
  }

  /** The cores server and load generator were held to, when the run split them ({@code --pin-cores}). */
  private String pinning() {
    return pinned() ? " pinned " + text("pinnedCores") : "";
  }

  /** Whether the server and the load generator ran on cores of their own. */
  boolean pinned() {
    return !text("pinnedCores").isEmpty() && !fields.get("pinnedCores").isNull();
  }

  /** The server's Socket.IO parser ({@code json} for lines from before it could be chosen). */
  String parser() {
    String parser = text("parser");
    return parser.isEmpty() ? "json" : parser;
  }

  /** Whether an echo sends {@code publish-ack} (a broadcast to the client's own room) rather than a plain echo. */
  boolean publishRequest() {
    return "publish-ack".equals(text("request"));
  }

  private String idleCase() {
    String name = "connections=" + integer("connections") + " hold=" + integer("holdS") + "s";
    if (!clusterIdle()) {
      return name;
    }
    return name + " nodes=" + nodes() + (redis() ? " (Redis)" : "") + " load generators=" + Math.max(1, integer("clientProcesses"));
  }

  /** An idle run over several nodes, through Redis, or from load-generator children. */
  boolean clusterIdle() {
    return nodes() > 1 || redis() || integer("clientProcesses") > 0;
  }

  private String fanoutCase() {
    StringBuilder name = new StringBuilder("subscribers=").append(integer("subscribers"));
    name.append(sweep() ? " sweep" : " rate=" + integer("rate") + "/s");
    if (redis()) {
      name.append(" nodes=").append(nodes()).append(" (Redis)");
    }
    if (writeDelayMs() > 0) {
      name.append(" write delay=").append(writeDelayMs()).append("ms");
    }
    if (serverThreads() > 0) {
      name.append(" server threads=").append(serverThreads());
    }
    return name.toString();
  }

  /** Server nodes (1 for lines from before there could be more). */
  int nodes() {
    return has("nodes") ? (int) integer("nodes") : 1;
  }

  /** Whether the nodes shared rooms through Redis. */
  boolean redis() {
    return flag("redis");
  }

  /** Switchboard's write delay in ms (0 when off, and for Node). */
  long writeDelayMs() {
    return has("writeDelayMs") ? integer("writeDelayMs") : 0;
  }

  /** Switchboard's event loops when the run set them (0: its default, one per core; and for Node). */
  long serverThreads() {
    return has("serverThreads") ? integer("serverThreads") : 0;
  }

  /** Whether this is a rate sweep (its fields are those of the highest rate within the bound). */
  boolean sweep() {
    return flag("sweep");
  }

  /** One node, no Redis, no write delay, one fixed rate: the standard fan-out case. */
  boolean plain() {
    return !redis() && !sweep() && writeDelayMs() == 0;
  }

  /** A sweep's steps, as (publish rate, p99 µs, lost). */
  List<double[]> steps() {
    List<double[]> steps = new ArrayList<>();
    JsonNode list = fields.get("steps");
    if (list != null && list.isArray()) {
      for (JsonNode step : list) {
        steps.add(new double[] {step.path("rate").asDouble(), step.path("latencyP99Us").asDouble(), step.path("lost").asDouble()});
      }
    }
    return steps;
  }

  /** The list field {@code name}'s objects, each as a result of its own; none when absent. */
  List<Result> list(String name) {
    List<Result> items = new ArrayList<>();
    JsonNode list = fields.get(name);
    if (list != null && list.isArray()) {
      list.forEach(item -> items.add(new Result(item)));
    }
    return items;
  }

  boolean has(String name) {
    JsonNode value = fields.get(name);
    return value != null && value.isNumber();
  }

  /** A result nested in this one under {@code name} (the presence scenario's two runs), or an empty one. */
  Result part(String name) {
    JsonNode value = fields.get(name);
    return new Result(value == null || !value.isObject() ? JsonNodeFactory.instance.objectNode() : value);
  }

  double number(String name) {
    JsonNode value = fields.get(name);
    return value == null || !value.isNumber() ? Double.NaN : value.doubleValue();
  }

  boolean flag(String name) {
    JsonNode value = fields.get(name);
    return value != null && value.asBoolean();
  }

  long integer(String name) {
    return Math.round(number(name));
  }

  String text(String name) {
    JsonNode value = fields.get(name);
    return value == null ? "" : value.asText();
  }
}
