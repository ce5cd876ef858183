package dev.switchboard.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Result lines as the load generator prints them, for the report's tests. */
final class ResultLines {
  private ResultLines() {}

  /** One line of {@code scenario} by {@code peer}: the common header, then {@code fields} (JSON members). */
  static String line(String scenario, String peer, String fields) {
    return "{\"scenario\":\"" + scenario + "\",\"peer\":\"" + peer + "\",\"time\":\"2026-01-01T00:00:00Z\",\"cores\":2,"
        + "\"loadAvg1\":0.1," + fields + "}";
  }

  /** Writes {@code lines} as one results file in {@code directory} and loads the directory. */
  static ResultSet load(Path directory, String... lines) throws IOException {
    Files.write(directory.resolve("run.jsonl"), List.of(lines));
    return ResultSet.load(directory);
  }

  static String fanout(String peer, int subscribers, int rate, double p99Us, double cpuUs, String more) {
    return line("fanout", peer, "\"subscribers\":" + subscribers + ",\"rate\":" + rate + ",\"nodes\":1,\"redis\":false,"
        + "\"deliveredPerSec\":" + subscribers * rate + ",\"latencyP99Us\":" + p99Us + ",\"serverCpuUsPerDelivery\":" + cpuUs
        + more);
  }

  static String echo(String peer, String mode, String request, boolean kept, double acksPerSec, double p99Us, double cpuUs) {
    return line("echo", peer, "\"mode\":\"" + mode + "\",\"request\":\"" + request + "\",\"kept\":" + kept
        + ",\"clients\":100,\"rate\":" + (mode.equals("open") ? "10000" : "null") + ",\"nodes\":1,\"redis\":false,"
        + "\"acksPerSec\":" + acksPerSec + ",\"latencyP99Us\":" + p99Us + ",\"serverCpuUsPerRoundTrip\":" + cpuUs);
  }
}
