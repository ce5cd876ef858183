package dev.switchboard.bench.proc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Counts the socket-write system calls (write, writev, sendto, sendmsg) of server processes with
 * {@code perf stat -I}: the kernel counts them at their tracepoints, so the servers are not slowed
 * the way tracing them would. Netty's epoll transport sends a single buffer with sendto and
 * gathers with writev, libuv uses write and writev, so {@code /proc/<pid>/io}'s {@code syscw}
 * (write and writev only) would undercount Netty. Needs perf and the right to attach to the
 * servers (root, or a low {@code kernel.perf_event_paranoid}); without them every count is -1.
 */
public final class WriteCalls implements AutoCloseable {
  private static final long INTERVAL_MILLIS = 100;
  private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(INTERVAL_MILLIS);
  private static final String EVENTS = "syscalls:sys_enter_write,syscalls:sys_enter_writev,"
      + "syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg";
  private static final int EVENT_COUNT = EVENTS.split(",").length;

  /** One perf interval: when its line arrived and what it counted. */
  private record Interval(long arrivedNanos, long calls) {}

  private final Process perf;
  private final List<Interval> intervals = new ArrayList<>();
  private volatile boolean counting;

  private WriteCalls(Process perf) {
    this.perf = perf;
  }

  /** A counter that counts nothing (every count -1). */
  public static WriteCalls none() {
    return new WriteCalls(null);
  }

  /** Starts counting for {@code pids}; a counter that knows nothing when perf cannot run. */
  public static WriteCalls start(List<Long> pids) {
    String pidList = pids.stream().map(String::valueOf).collect(Collectors.joining(","));
    Process perf;
    try {
      perf = new ProcessBuilder("perf", "stat", "-x", ",", "-I", Long.toString(INTERVAL_MILLIS), "-e", EVENTS, "-p", pidList)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      return new WriteCalls(null);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(perf::destroyForcibly, "perf-stop"));
    WriteCalls calls = new WriteCalls(perf);
    Thread reader = new Thread(calls::read, "perf-reader");
    reader.setDaemon(true);
    reader.start();
    return calls;
  }

  /**
   * The calls made between two {@code System.nanoTime()}s, to within one 100 ms interval at each
   * end (an interval counts when its middle falls inside); -1 when unknown. Waits for the
   * interval that covers {@code toNanos}.
   */
  public long between(long fromNanos, long toNanos) {
    long deadline = System.nanoTime() + 10 * INTERVAL_NANOS;
    while (perf != null && perf.isAlive() && newest() < toNanos + INTERVAL_NANOS / 2 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(INTERVAL_NANOS / 4);
    }
    if (!counting) {
      return -1;
    }
    long sum = 0;
    synchronized (intervals) {
      for (Interval interval : intervals) {
        long middle = interval.arrivedNanos() - INTERVAL_NANOS / 2;
        if (middle > fromNanos && middle <= toNanos) {
          sum += interval.calls();
        }
      }
    }
    return sum;
  }

  private long newest() {
    synchronized (intervals) {
      return intervals.isEmpty() ? Long.MIN_VALUE : intervals.get(intervals.size() - 1).arrivedNanos();
    }
  }

  /** Reads perf's CSV lines ({@code time,count,unit,event,...}): one line per event per interval. */
  private void read() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(perf.getErrorStream(), StandardCharsets.UTF_8))) {
      long calls = 0;
      int seen = 0;
      String line;
      while ((line = lines.readLine()) != null) {
        String[] fields = line.trim().split(",");
        if (fields.length < 4 || !fields[3].startsWith("syscalls:")) {
          continue;
        }
        try {
          calls += Long.parseLong(fields[1]);
          counting = true;
        } catch (NumberFormatException e) {
          // "<not counted>": nothing this interval
        }
        if (++seen == EVENT_COUNT) {
          add(calls);
          calls = 0;
          seen = 0;
        }
      }
    } catch (IOException e) {
      // perf ended
    }
  }

  private void add(long calls) {
    synchronized (intervals) {
      intervals.add(new Interval(System.nanoTime(), calls));
    }
  }

  @Override
  public void close() {
    if (perf != null) {
      perf.destroy();
    }
  }
}
