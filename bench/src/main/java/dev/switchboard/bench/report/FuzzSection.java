package dev.switchboard.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The long fuzzing runs {@code bench/fuzz} writes to {@code results/fuzz/<time>.jsonl}, one line per
 * target: the newest line of each target, against the bar of 10 million executions and no finding.
 */
final class FuzzSection {
  /** The executions every target must reach in one run. */
  static final long EXECUTIONS_TARGET = 10_000_000;

  private FuzzSection() {}

  /** Appends the section when {@code directory} holds result lines; nothing otherwise. */
  static void render(Path directory, StringBuilder md) throws IOException {
    Map<String, JsonNode> newest = newestPerTarget(directory);
    if (newest.isEmpty()) {
      return;
    }
    md.append("## Fuzzing\n\n")
        .append("Every Jazzer fuzz target of the suite, run by `bench/fuzz` for a number of executions rather than ")
        .append("the suite's 20 s (one target at a time, one JVM each, Netty's leak detection at the level shown). ")
        .append("A finding is a crashing input, saved to the target's inputs directory so that the suite replays it. ")
        .append("Met: at least ").append(ResultsTable.format(EXECUTIONS_TARGET))
        .append(" executions and no finding. Edges and features are libFuzzer's coverage counts at the end of the run; ")
        .append("corpus is the inputs it kept.\n\n")
        .append("| target | executions | exec/s | wall | edges | features | corpus | findings | leak detection | date | met |\n")
        .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | :---: |\n");
    for (JsonNode run : newest.values()) {
      long executions = run.path("executions").asLong();
      long requested = run.path("requested").asLong();
      String done = ResultsTable.format(executions) + (executions < requested ? shortOf(run, requested) : "");
      md.append("| `").append(run.path("target").asText()).append('.').append(run.path("method").asText()).append("` | ")
          .append(done).append(" | ")
          .append(ResultsTable.format(run.path("exec_per_s").asDouble(Double.NaN))).append(" | ")
          .append(wall(run.path("wall_s").asDouble(Double.NaN))).append(" | ")
          .append(ResultsTable.format(run.path("edges").asDouble(Double.NaN))).append(" | ")
          .append(ResultsTable.format(run.path("features").asDouble(Double.NaN))).append(" | ")
          .append(ResultsTable.format(run.path("corpus_entries").asDouble(Double.NaN)))
          .append(" (").append(run.path("corpus_size").asText()).append(") | ")
          .append(findings(run)).append(" | ")
          .append(run.path("leak_detection").asText()).append(" | ")
          .append(run.path("date").asText()).append(" | ")
          .append(met(run) ? "yes" : "no").append(" |\n");
    }
    md.append('\n');
  }

  /** Met when the run reached the bar, found nothing and ended cleanly (a leak report fails it too). */
  static boolean met(JsonNode run) {
    return run.path("executions").asLong() >= EXECUTIONS_TARGET
        && run.path("findings").asInt(-1) == 0
        && run.path("exit").asInt(-1) == 0;
  }

  /** Why a run stopped short, and how long the whole count would take at its rate. */
  private static String shortOf(JsonNode run, long requested) {
    double perSecond = run.path("exec_per_s").asDouble();
    String whole = perSecond > 0 ? "; " + ResultsTable.format(requested) + " would take ≈ " + wall(requested / perSecond) + " at this rate" : "";
    return " of " + ResultsTable.format(requested) + " (stopped at " + run.path("max_duration").asText() + whole + ")";
  }

  private static String findings(JsonNode run) {
    int findings = run.path("findings").asInt();
    int exit = run.path("exit").asInt();
    return findings == 0 && exit != 0 ? "0 (exit " + exit + ")" : Integer.toString(findings);
  }

  private static String wall(double seconds) {
    if (Double.isNaN(seconds)) {
      return "–";
    }
    return seconds < 120
        ? String.format(Locale.ROOT, "%.0f s", seconds)
        : String.format(Locale.ROOT, "%.1f min", seconds / 60);
  }

  /** Files in name (= time) order, lines in file order: the last line of a target wins. */
  private static Map<String, JsonNode> newestPerTarget(Path directory) throws IOException {
    Map<String, JsonNode> newest = new LinkedHashMap<>();
    if (!Files.isDirectory(directory)) {
      return newest;
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(directory)) {
      files = listing.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList();
    }
    ObjectMapper json = new ObjectMapper();
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        if (!line.isBlank()) {
          JsonNode run = json.readTree(line);
          newest.put(run.path("target").asText() + "." + run.path("method").asText(), run);
        }
      }
    }
    return newest;
  }
}
