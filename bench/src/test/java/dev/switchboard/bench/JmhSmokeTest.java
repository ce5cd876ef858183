package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.bench.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every JMH microbenchmark once, for a blink, in this JVM, and the report's section built from
 * their JSON: keeps the benchmarks runnable and the report readable; measures nothing.
 */
@Timeout(120)
class JmhSmokeTest {
  @Test
  void everyBenchmarkRunsAndTheReportShowsItsScore(@TempDir Path results) throws Exception {
    Path json = results.resolve("jmh.json");
    Collection<RunResult> runs = new Runner(new OptionsBuilder()
        .include("dev\\.switchboard\\.bench\\.jmh\\..*")
        .forks(0)
        .warmupIterations(0)
        .measurementIterations(1)
        .measurementTime(TimeValue.milliseconds(100))
        .resultFormat(ResultFormatType.JSON)
        .result(json.toString())
        .build()).run();

    assertThat(runs).extracting(run -> run.getParams().getBenchmark())
        .anyMatch(name -> name.endsWith("CodecBenchmark.sioDecode"))
        .anyMatch(name -> name.endsWith("RoomChurnBenchmark.onLoop"))
        .anyMatch(name -> name.contains("JwtVerifyBenchmark."));
    assertThat(runs).allSatisfy(run -> assertThat(run.getPrimaryResult().getScore()).isPositive());

    Path markdown = results.resolve("RESULTS.md");
    Report.main(new String[] {"--results", results.toString(), "--markdown", markdown.toString(),
        "--chart", results.resolve("chart.png").toString()});
    assertThat(Files.readString(markdown)).contains("## Microbenchmarks (JMH)", "`CodecBenchmark.sioDecode`");
  }
}
