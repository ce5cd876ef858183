package dev.switchboard.bench.report;

import dev.switchboard.bench.cli.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Regenerates the report from the result lines:
 * {@code Report --results bench/results --markdown bench/RESULTS.md --chart bench/results/latency.png}.
 */
public final class Report {
  private Report() {}

  public static void main(String[] args) throws IOException {
    Options options = Options.parse(args, 0);
    Path results = Path.of(options.text("results", "bench/results"));
    Path markdown = Path.of(options.text("markdown", "bench/RESULTS.md"));
    Path chart = Path.of(options.text("chart", "bench/results/latency-p99.png"));
    ResultSet set = ResultSet.load(results);
    LatencyChart latencyChart = new LatencyChart(set);
    if (!latencyChart.isEmpty()) {
      Files.createDirectories(chart.toAbsolutePath().getParent());
      latencyChart.write(chart);
    }
    String relativeChart = markdown.toAbsolutePath().getParent().relativize(chart.toAbsolutePath()).toString();
    StringBuilder md = new StringBuilder(new ResultsTable(set, relativeChart).render());
    JmhSection.render(results.resolve("jmh.json"), md);
    ProfilesSection.render(results.toAbsolutePath().getParent().resolve("profiles"), md);
    Files.writeString(markdown, md.toString());
    System.err.println("report: wrote " + markdown + (latencyChart.isEmpty() ? "" : " and " + chart));
  }
}
