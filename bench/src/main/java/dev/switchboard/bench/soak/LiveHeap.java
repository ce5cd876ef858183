package dev.switchboard.bench.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's live heap, read with {@code jcmd}: a full collection ({@code GC.run}), then the heap's
 * used size ({@code GC.heap_info}, summed over its generations). The first call starts the JVM's
 * attach listener, which keeps one socket open from then on.
 */
public final class LiveHeap {
  private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

  private final long pid;
  private final String jcmd;

  public LiveHeap(long pid) {
    this.pid = pid;
    this.jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
  }

  /** kB in use right after a full collection; -1 when jcmd cannot tell. */
  public long liveKb() {
    if (run("GC.run") == null) {
      return -1;
    }
    String info = run("GC.heap_info");
    return info == null ? -1 : used(info);
  }

  /** The used kB of every generation in a {@code GC.heap_info} answer, -1 when none is named. */
  static long used(String heapInfo) {
    Matcher m = USED.matcher(heapInfo);
    long sum = 0;
    boolean any = false;
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
      any = true;
    }
    return any ? sum : -1;
  }

  private String run(String command) {
    try {
      Process process = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        return null;
      }
      return out;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
