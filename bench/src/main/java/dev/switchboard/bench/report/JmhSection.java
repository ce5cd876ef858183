package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** The JMH microbenchmarks' scores, from the JSON file {@code bench/run --jmh} writes. */
final class JmhSection {
  private JmhSection() {}

  /** Appends the section when {@code json} exists; nothing otherwise. */
  static void render(Path json, StringBuilder md) throws IOException {
    if (!Files.isRegularFile(json)) {
      return;
    }
    JsonNode runs = new ObjectMapper().readTree(json.toFile());
    if (!runs.isArray() || runs.isEmpty()) {
      return;
    }
    md.append("## Microbenchmarks (JMH)\n\n")
        .append("Hot paths measured in isolation by `bench/run --jmh` (one fork, 3 warm-up and 5 measured ")
        .append("iterations of 1 s), taken ").append(taken(runs, json)).append(". Average time per operation; ")
        .append("± is JMH's 99.9% confidence interval.\n\n")
        .append("| benchmark | parameters | score | ± | unit |\n| --- | --- | ---: | ---: | --- |\n");
    for (JsonNode run : runs) {
      JsonNode metric = run.path("primaryMetric");
      md.append("| `").append(shortName(run.path("benchmark").asText())).append("` | ")
          .append(params(run.path("params"))).append(" | ")
          .append(ResultsTable.format(metric.path("score").asDouble(Double.NaN))).append(" | ")
          .append(ResultsTable.format(metric.path("scoreError").asDouble(Double.NaN))).append(" | ")
          .append(metric.path("scoreUnit").asText()).append(" |\n");
    }
    md.append('\n');
  }

  /** {@code dev.switchboard.bench.jmh.CodecBenchmark.sioDecode} → {@code CodecBenchmark.sioDecode}. */
  private static String shortName(String benchmark) {
    int method = benchmark.lastIndexOf('.');
    int type = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
    return benchmark.substring(type + 1);
  }

  private static String params(JsonNode params) {
    if (params.isMissingNode() || params.isEmpty()) {
      return "–";
    }
    StringBuilder out = new StringBuilder();
    for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> param = it.next();
      if (!out.isEmpty()) {
        out.append(", ");
      }
      out.append(param.getKey()).append('=').append(param.getValue().asText());
    }
    return out.toString();
  }

  /**
   * The day {@code bench/run} wrote into the runs ({@code "date"}), else the file's modification
   * day (which a checkout resets, hence the field).
   */
  private static String taken(JsonNode runs, Path json) throws IOException {
    String date = runs.get(0).path("date").asText("");
    return date.isEmpty() ? String.format(Locale.ROOT, "%tF", Files.getLastModifiedTime(json).toMillis()) : date;
  }
}
