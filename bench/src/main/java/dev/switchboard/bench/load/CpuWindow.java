package dev.switchboard.bench.load;

import dev.switchboard.bench.proc.ProcStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Server CPU, per server process, and load-generator CPU between {@link #start} and {@link #stop},
 * and how busy the whole machine was meanwhile.
 */
public final class CpuWindow {
  private static final Path PROC_STAT = Path.of("/proc/stat");

  private final List<ProcStats> servers;
  private final long[] serverMicros;
  private long selfMicros;
  private long wallNanos;
  private long[] machine = new long[2];

  public CpuWindow(ProcStats server) {
    this(List.of(server));
  }

  public CpuWindow(List<ProcStats> servers) {
    this.servers = List.copyOf(servers);
    this.serverMicros = new long[servers.size()];
  }

  public void start() {
    wallNanos = System.nanoTime();
    for (int i = 0; i < servers.size(); i++) {
      serverMicros[i] = servers.get(i).cpuMicros();
    }
    selfMicros = selfMicros();
    machine = machineTicks();
  }

  public void stop() {
    for (int i = 0; i < servers.size(); i++) {
      serverMicros[i] = servers.get(i).cpuMicros() - serverMicros[i];
    }
    selfMicros = selfMicros() - selfMicros;
    wallNanos = System.nanoTime() - wallNanos;
    long[] now = machineTicks();
    machine = new long[] {now[0] - machine[0], now[1] - machine[1]};
  }

  /**
   * The share of all cores' time that was busy (not idle, not waiting for I/O) over the window,
   * whoever used it: 1.0 means the machine had no CPU to spare. NaN when /proc/stat is unreadable.
   */
  public double machineBusy() {
    return machine[1] <= 0 ? Double.NaN : machine[0] / (double) machine[1];
  }

  /** CPU (user + system) of every server over the window, summed, in microseconds. */
  public long serverMicros() {
    long sum = 0;
    for (long micros : serverMicros) {
      sum += micros;
    }
    return sum;
  }

  /** CPU of the {@code index}th server over the window, in microseconds. */
  public long serverMicros(int index) {
    return serverMicros[index];
  }

  public int servers() {
    return servers.size();
  }

  /** This process's CPU over the window, in microseconds. */
  public long loadGenMicros() {
    return selfMicros;
  }

  public double wallSeconds() {
    return wallNanos / 1e9;
  }

  /**
   * Cores' worth of CPU used over the window by anything other than the servers and this load
   * generator (Redis in cross-node runs, other work on the machine): what disturbed the run.
   */
  public double otherCores() {
    double busyCores = machineBusy() * Runtime.getRuntime().availableProcessors();
    return busyCores - (serverMicros() + selfMicros) / 1e6 / wallSeconds();
  }

  /** Busy and total ticks of all cores from the first line of /proc/stat, or zeros. */
  private static long[] machineTicks() {
    try {
      String line = Files.readAllLines(PROC_STAT).get(0);
      String[] fields = line.trim().split("\\s+");
      long busy = 0;
      long total = 0;
      // cpu user nice system idle iowait irq softirq steal (guest time is already in user)
      for (int i = 1; i < Math.min(fields.length, 9); i++) {
        long ticks = Long.parseLong(fields[i]);
        total += ticks;
        if (i != 4 && i != 5) {
          busy += ticks;
        }
      }
      return new long[] {busy, total};
    } catch (IOException | RuntimeException e) {
      return new long[2];
    }
  }

  private static long selfMicros() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1000;
    }
    return 0;
  }
}
