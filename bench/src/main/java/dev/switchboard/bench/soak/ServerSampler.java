package dev.switchboard.bench.soak;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.proc.ProcStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Samples the server every few seconds: resident memory, open files and CPU, and, less often, its
 * live heap ({@link LiveHeap}, which costs the server a full collection).
 */
public final class ServerSampler implements AutoCloseable {
  /** One sample: seconds since the sampler started, RSS (kB), open files, CPU cores used since the last. */
  public record Sample(double atS, long rssKb, long openFiles, double cpuCores) {}

  private final ProcStats server;
  private final LiveHeap heap;
  private final long startNanos = System.nanoTime();
  private final List<Sample> samples = new ArrayList<>();
  private final List<double[]> heapSamples = new ArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "soak-sampler");
    thread.setDaemon(true);
    return thread;
  });
  private long lastCpuMicros;
  private long lastNanos;

  public ServerSampler(ProcStats server, LiveHeap heap) {
    this.server = server;
    this.heap = heap;
  }

  /** Samples now and then every {@code everySeconds}; the live heap every {@code heapEverySeconds} (0: never). */
  public void start(double everySeconds, double heapEverySeconds) {
    lastCpuMicros = server.cpuMicros();
    lastNanos = System.nanoTime();
    timer.scheduleAtFixedRate(this::sample, 0, (long) (everySeconds * 1000), TimeUnit.MILLISECONDS);
    if (heapEverySeconds > 0) {
      long every = (long) (heapEverySeconds * 1000);
      timer.scheduleAtFixedRate(this::sampleHeap, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Takes one sample now (also from outside the timer). */
  public synchronized Sample sample() {
    long now = System.nanoTime();
    long cpu = server.cpuMicros();
    double cores = now > lastNanos ? (cpu - lastCpuMicros) / 1e3 / ((now - lastNanos) / 1e6) : 0;
    lastCpuMicros = cpu;
    lastNanos = now;
    Sample sample = new Sample((now - startNanos) / 1e9, server.rssKb(), server.openFiles(), cores);
    samples.add(sample);
    return sample;
  }

  /** The live heap now, in kB (-1 when it cannot be read); also kept in the series. */
  public synchronized long sampleHeap() {
    long kb = heap.liveKb();
    heapSamples.add(new double[] {(System.nanoTime() - startNanos) / 1e9, kb});
    return kb;
  }

  public synchronized List<Sample> samples() {
    return List.copyOf(samples);
  }

  /** Every sample from {@code fromS} on, as a compact series for the line: [s, rss MB, fds, cores]. */
  public synchronized List<List<Double>> series(double fromS) {
    List<List<Double>> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s.atS() >= fromS) {
        out.add(List.of(JsonLine.rounded(s.atS()), JsonLine.rounded(s.rssKb() / 1024.0), (double) s.openFiles(),
            JsonLine.rounded(s.cpuCores())));
      }
    }
    return out;
  }

  /** The live-heap series: [s, MB]. */
  public synchronized List<List<Double>> heapSeries() {
    return heapSamples.stream().map(h -> List.of(JsonLine.rounded(h[0]), JsonLine.rounded(h[1] / 1024.0))).toList();
  }

  public double secondsSinceStart() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
