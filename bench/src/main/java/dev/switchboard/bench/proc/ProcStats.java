package dev.switchboard.bench.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from {@code /proc/<pid>}. Once the process has
 * ended, every figure is -1.
 */
public final class ProcStats {
  private static final long TICKS_PER_SECOND = ClockTicks.perSecond();

  private final long pid;

  public ProcStats(long pid) {
    this.pid = pid;
  }

  /** User plus system CPU time so far, in microseconds (resolution: one clock tick). */
  public long cpuMicros() {
    String stat = read("stat");
    if (stat.isEmpty()) {
      return -1;
    }
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long utime = Long.parseLong(fields[11]);
    long stime = Long.parseLong(fields[12]);
    return (utime + stime) * 1_000_000L / TICKS_PER_SECOND;
  }

  /** Resident set size now, in kB. */
  public long rssKb() {
    return statusKb("VmRSS:");
  }

  /** Peak resident set size, in kB. */
  public long peakRssKb() {
    return statusKb("VmHWM:");
  }

  /** Open file descriptors now (entries of {@code /proc/<pid>/fd}), or -1 once it has ended. */
  public long openFiles() {
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return fds.count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }

  public boolean alive() {
    return Files.exists(Path.of("/proc", Long.toString(pid)));
  }

  private long statusKb(String key) {
    for (String line : read("status").split("\n")) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).replace("kB", "").trim());
      }
    }
    return -1;
  }

  /** The file's text, empty once the process has ended (or the file cannot be read). */
  private String read(String file) {
    Path path = Path.of("/proc", Long.toString(pid), file);
    // Read to the end rather than by the reported size (0 for /proc files); bytes, not UTF-8.
    try (InputStream in = Files.newInputStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }
}
