package dev.switchboard.bench.report;

import dev.switchboard.bench.cli.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Regenerates the report from the result lines:
 * {@code Report --results bench/results --markdown bench/RESULTS.md --chart bench/results/latency-p99.png
 * --cpu-chart bench/results/cpu-per-delivery.png} (the CPU chart defaults to that name beside the latency chart).
 */
public final class Report {
  private Report() {}

  public static void main(String[] args) throws IOException {
    Options options = Options.parse(args, 0);
    Path results = Path.of(options.text("results", "bench/results"));
    Path markdown = Path.of(options.text("markdown", "bench/RESULTS.md"));
    Path chart = Path.of(options.text("chart", "bench/results/latency-p99.png"));
    Path cpuChart = Path.of(options.text("cpu-chart", chart.resolveSibling("cpu-per-delivery.png").toString()));
    ResultSet set = ResultSet.load(results);
    LatencyChart latencyChart = new LatencyChart(set);
    Optional<String> latencyLink = latencyChart.isEmpty() ? Optional.empty() : Optional.of(link(markdown, chart));
    if (!latencyChart.isEmpty()) {
      Files.createDirectories(chart.toAbsolutePath().getParent());
      latencyChart.write(chart);
    }
    CpuPerDeliveryChart cpuPerDelivery = new CpuPerDeliveryChart(FloorComparison.of(set));
    Optional<String> cpuLink = cpuPerDelivery.isEmpty() ? Optional.empty() : Optional.of(link(markdown, cpuChart));
    if (!cpuPerDelivery.isEmpty()) {
      Files.createDirectories(cpuChart.toAbsolutePath().getParent());
      cpuPerDelivery.write(cpuChart);
    }
    Path profiles = results.toAbsolutePath().getParent().resolve("profiles");
    StringBuilder md = new StringBuilder(new ResultsTable(set, latencyLink, cpuLink, Optional.of(profiles)).render());
    JmhSection.render(results.resolve("jmh.json"), md);
    FuzzSection.render(results.resolve("fuzz"), md);
    ProfilesSection.render(profiles, markdown, md);
    Files.writeString(markdown, md.toString());
    System.err.println("report: wrote " + markdown + latencyLink.map(l -> ", " + chart).orElse("")
        + cpuLink.map(l -> ", " + cpuChart).orElse(""));
  }

  /** The chart's path relative to the Markdown file. */
  private static String link(Path markdown, Path chart) {
    return markdown.toAbsolutePath().getParent().relativize(chart.toAbsolutePath()).toString();
  }
}
