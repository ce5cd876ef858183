package dev.switchboard.bench.load;

import dev.switchboard.bench.proc.ProcStats;
import java.lang.management.ManagementFactory;

/** Server and load-generator CPU time between {@link #start} and {@link #stop}. */
public final class CpuWindow {
  private final ProcStats server;
  private long serverStart;
  private long selfStart;
  private long wallStart;
  private long serverMicros;
  private long selfMicros;
  private long wallNanos;

  public CpuWindow(ProcStats server) {
    this.server = server;
  }

  public void start() {
    wallStart = System.nanoTime();
    serverStart = server.cpuMicros();
    selfStart = selfMicros();
  }

  public void stop() {
    serverMicros = server.cpuMicros() - serverStart;
    selfMicros = selfMicros() - selfStart;
    wallNanos = System.nanoTime() - wallStart;
  }

  /** Server CPU (user + system) over the window, in microseconds. */
  public long serverMicros() {
    return serverMicros;
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
