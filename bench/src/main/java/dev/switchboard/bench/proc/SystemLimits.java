package dev.switchboard.bench.proc;

import dev.switchboard.bench.JsonLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel and process limits that bound how many connections one machine can hold: open
 * files per process, the ephemeral port range (ports per source address), the listen backlog cap
 * and the system-wide file limit. Child processes inherit this process's open-file limit.
 */
public final class SystemLimits {
  /** Files a process keeps for itself beyond its sockets (jars, pipes, epoll, Redis links). */
  public static final int RESERVED_FILES = 500;

  private final long openFiles;
  private final long[] portRange;
  private final long somaxconn;
  private final long fileMax;

  private SystemLimits(long openFiles, long[] portRange, long somaxconn, long fileMax) {
    this.openFiles = openFiles;
    this.portRange = portRange;
    this.somaxconn = somaxconn;
    this.fileMax = fileMax;
  }

  /** Reads them now; an unreadable one is -1. */
  public static SystemLimits read() {
    long[] range = numbers(read("/proc/sys/net/ipv4/ip_local_port_range"));
    return new SystemLimits(openFilesLimit(), range.length == 2 ? range : new long[] {-1, -1},
        first(read("/proc/sys/net/core/somaxconn")), first(read("/proc/sys/fs/file-max")));
  }

  /** The soft open-file limit of this process (the JVM raises it to the hard limit at start). */
  public long openFiles() {
    return openFiles;
  }

  /** Ephemeral ports, so connections one source address can open. */
  public long portsPerSourceAddress() {
    return portRange[0] < 0 ? -1 : portRange[1] - portRange[0] + 1;
  }

  /** Sockets one process can hold: its open-file limit less {@link #RESERVED_FILES}. */
  public long socketsPerProcess() {
    return openFiles < 0 ? Long.MAX_VALUE : openFiles - RESERVED_FILES;
  }

  public JsonLine toJson() {
    return new JsonLine()
        .put("openFilesPerProcess", openFiles)
        .put("portsPerSourceAddress", portsPerSourceAddress())
        .put("somaxconn", somaxconn)
        .put("fileMax", fileMax);
  }

  private static long openFilesLimit() {
    for (String line : read("/proc/self/limits").split("\n")) {
      if (line.startsWith("Max open files")) {
        String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
        return parts[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(parts[0]);
      }
    }
    return -1;
  }

  private static String read(String file) {
    try {
      // Line by line: a single bulk read of a /proc/sys file can come back cut short.
      return String.join("\n", Files.readAllLines(Path.of(file))).trim();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static long first(String text) {
    long[] values = numbers(text);
    return values.length == 0 ? -1 : values[0];
  }

  private static long[] numbers(String text) {
    if (text.isBlank()) {
      return new long[0];
    }
    String[] parts = text.split("\\s+");
    long[] values = new long[parts.length];
    try {
      for (int i = 0; i < parts.length; i++) {
        values[i] = Long.parseLong(parts[i]);
      }
    } catch (NumberFormatException e) {
      return new long[0];
    }
    return values;
  }
}
