package dev.switchboard.bench.load;

import dev.switchboard.bench.JsonLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The fields every result line starts with: what ran, when, and how busy the machine was. */
public final class RunInfo {
  private RunInfo() {}

  public static JsonLine header(String scenario, String peer) {
    return new JsonLine()
        .put("scenario", scenario)
        .put("peer", peer)
        .put("time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("loadAvg1", loadAverage());
  }

  /** The machine's one-minute load average now, -1 when unknown. */
  public static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
