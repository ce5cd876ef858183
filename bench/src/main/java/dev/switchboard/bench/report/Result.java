package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

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

  /** The parameters of the case, e.g. {@code subscribers=1000 rate=100}. */
  String caseName() {
    return switch (scenario()) {
      case "fanout" -> "subscribers=" + integer("subscribers") + " rate=" + integer("rate") + "/s";
      case "echo" -> "open".equals(text("mode"))
          ? "open clients=" + integer("clients") + " rate=" + integer("rate") + "/s"
          : "closed clients=" + integer("clients");
      case "idle" -> "connections=" + integer("connections") + " hold=" + integer("holdS") + "s";
      case "floor" -> "sockets=" + integer("sockets") + " frames/write=" + integer("framesPerWrite");
      default -> fields.toString();
    };
  }

  boolean has(String name) {
    JsonNode value = fields.get(name);
    return value != null && value.isNumber();
  }

  double number(String name) {
    JsonNode value = fields.get(name);
    return value == null || !value.isNumber() ? Double.NaN : value.doubleValue();
  }

  private long integer(String name) {
    return Math.round(number(name));
  }

  private String text(String name) {
    JsonNode value = fields.get(name);
    return value == null ? "" : value.asText();
  }
}
