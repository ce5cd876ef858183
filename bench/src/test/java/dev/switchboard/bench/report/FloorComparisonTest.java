package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.ResultLines.fanout;
import static dev.switchboard.bench.report.ResultLines.line;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloorComparisonTest {
  @TempDir
  Path results;

  @Test
  void eachOneNodeFanoutCaseAgainstTheFloor() throws Exception {
    ResultSet set = ResultLines.load(results,
        line("floor", "kernel", "\"sockets\":1000,\"framesPerWrite\":1,\"senderCpuUsPerMessage\":5.0"),
        line("floor", "kernel", "\"sockets\":1000,\"framesPerWrite\":4,\"senderCpuUsPerMessage\":1.25"),
        fanout("switchboard", 1000, 100, 38_000, 9.0, ""),
        fanout("node", 1000, 100, 2_400_000, 12.0, ""),
        fanout("switchboard", 100, 1000, 9_800, 4.0, ",\"writeDelayMs\":5"),
        fanout("switchboard", 1000, 50, 20_000, 12.0, ",\"redis\":true"),
        fanout("switchboard", 1000, 100, 34_000, 8.5, "").replace("\"fanout\"", "\"sse-fanout\""));

    FloorComparison comparison = FloorComparison.of(set);

    assertThat(comparison.cases()).extracting(FloorComparison.Case::name).containsExactly(
        "subscribers=100 rate=1000/s write delay=5ms", "subscribers=1000 rate=100/s", "SSE subscribers=1000 rate=100/s");
    FloorComparison.Case delayed = comparison.cases().get(0);
    assertThat(delayed.node()).isEmpty();
    assertThat(delayed.labelLines()).containsExactly("100 × 1,000/s", "WebSocket", "delay 5 ms");
    FloorComparison.Case plain = comparison.cases().get(1);
    assertThat(comparison.multiple(plain.switchboard().orElseThrow())).hasValue(1.8);
    assertThat(comparison.multiple(plain.node().orElseThrow())).hasValue(2.4);
    assertThat(comparison.coalesced()).map(r -> r.integer("framesPerWrite")).hasValue(4L);

    Path png = results.resolve("cpu.png");
    new CpuPerDeliveryChart(comparison).write(png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getHeight()).isGreaterThan(400);
  }

  @Test
  void withoutTheFloorTheBarsHaveNoMultiple() throws Exception {
    ResultSet set = ResultLines.load(results, fanout("switchboard", 1000, 100, 38_000, 9.0, ""));

    FloorComparison comparison = FloorComparison.of(set);

    assertThat(comparison.cases()).hasSize(1);
    assertThat(comparison.multiple(comparison.cases().get(0).switchboard().orElseThrow())).isEmpty();
  }

  @Test
  void noFanoutNoChart() throws Exception {
    ResultSet set = ResultLines.load(results,
        line("floor", "kernel", "\"sockets\":1000,\"framesPerWrite\":1,\"senderCpuUsPerMessage\":5.0"));

    assertThat(new CpuPerDeliveryChart(FloorComparison.of(set)).isEmpty()).isTrue();
  }
}
