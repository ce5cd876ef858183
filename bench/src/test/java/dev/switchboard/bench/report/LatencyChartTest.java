package dev.switchboard.bench.report;

import static dev.switchboard.bench.report.ResultLines.echo;
import static dev.switchboard.bench.report.ResultLines.fanout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyChartTest {
  @TempDir
  Path results;

  @Test
  void onlyCasesThatDifferInTheirLoadShareALine() throws Exception {
    ResultSet set = ResultLines.load(results,
        fanout("switchboard", 1000, 10, 17_000, 10, ""),
        fanout("switchboard", 1000, 50, 16_000, 10, ""),
        fanout("switchboard", 1000, 100, 38_000, 9, ""),
        fanout("switchboard", 100, 1000, 4_700, 7, ""),
        fanout("switchboard", 100, 1000, 9_800, 4, ",\"writeDelayMs\":5"),
        fanout("switchboard", 1000, 50, 17_000, 11, ",\"parser\":\"msgpack\""),
        fanout("node", 1000, 10, 24_000, 15, ""),
        fanout("node", 1000, 100, 2_400_000, 12, ""),
        fanout("node", 100, 1000, 66_000, 9, ""),
        fanout("switchboard", 1000, 50, 20_000, 12, ",\"redis\":true"),
        echo("switchboard", "closed", "echo", false, 86_000, 4_900, 11),
        echo("switchboard", "open", "echo", false, 10_000, 2_000, 39),
        echo("switchboard", "open", "publish-ack", false, 10_000, 2_100, 41),
        echo("switchboard", "open", "publish-ack", true, 10_000, 2_200, 44),
        echo("node", "open", "echo", false, 10_000, 7_300, 62),
        echo("node", "open", "publish-ack", false, 10_000, 7_500, 66));

    LatencyChart chart = new LatencyChart(set);

    assertThat(chart.lines()).containsExactly(
        entry("Switchboard: fan-out, 100 subscribers", 1),
        entry("Switchboard: fan-out, 100 subscribers, write delay 5 ms", 1),
        entry("Switchboard: fan-out, 1,000 subscribers", 3),
        entry("Switchboard: fan-out, 1,000 subscribers, msgpack", 1),
        entry("Switchboard: echo, closed loop", 1),
        entry("Switchboard: echo, open loop, 100 clients", 1),
        entry("Switchboard: publish, open loop, 100 clients", 1),
        entry("Switchboard: kept publish, open loop, 100 clients", 1),
        entry("Node socket.io: fan-out, 100 subscribers", 1),
        entry("Node socket.io: fan-out, 1,000 subscribers", 2),
        entry("Node socket.io: echo, open loop, 100 clients", 1),
        entry("Node socket.io: publish, open loop, 100 clients", 1));

    Path png = results.resolve("latency.png");
    chart.write(png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isGreaterThan(800);
  }

  @Test
  void aClosedLoopsLineRunsAlongItsClientCount() throws Exception {
    ResultSet set = ResultLines.load(results,
        echo("switchboard", "closed", "echo", false, 86_000, 4_900, 11),
        echo("switchboard", "closed", "echo", false, 60_000, 3_000, 12).replace("\"clients\":100", "\"clients\":50"));

    assertThat(new LatencyChart(set).lines()).containsExactly(entry("Switchboard: echo, closed loop", 2));
  }

  @Test
  void noFanoutOrEchoNoChart() throws Exception {
    ResultSet set = ResultLines.load(results,
        ResultLines.line("floor", "kernel", "\"sockets\":1000,\"framesPerWrite\":1,\"senderCpuUsPerMessage\":5.0"));

    assertThat(new LatencyChart(set).isEmpty()).isTrue();
  }
}
