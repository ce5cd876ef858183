package dev.switchboard.bench.load;

import dev.switchboard.bench.proc.ProcStats;
import java.lang.management.ManagementFactory;
import java.util.List;

/** Server CPU, per server process, and load-generator CPU between {@link #start} and {@link #stop}. */
public final class CpuWindow {
  private final List<ProcStats> servers;
  private final long[] serverMicros;
  private long selfMicros;
  private long wallNanos;

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
  }

  public void stop() {
    for (int i = 0; i < servers.size(); i++) {
      serverMicros[i] = servers.get(i).cpuMicros() - serverMicros[i];
    }
    selfMicros = selfMicros() - selfMicros;
    wallNanos = System.nanoTime() - wallNanos;
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

  private static long selfMicros() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1000;
    }
    return 0;
  }
}
