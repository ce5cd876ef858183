package dev.switchboard.server.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A balancer's health check: asks each node's {@code /readyz} every 100 ms, and names the first
 * node that answered 200 last time. With {@link ConnectionProxy#routed}, a balancer that sends new
 * connections to the first ready node (the others standing by).
 */
final class ReadinessProbe implements AutoCloseable {
  private static final Duration EVERY = Duration.ofMillis(100);

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final int[] ports;
  private final AtomicIntegerArray ready;

  private ReadinessProbe(int... ports) {
    this.ports = ports.clone();
    this.ready = new AtomicIntegerArray(ports.length);
    probe();
    timer.scheduleWithFixedDelay(this::probe, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Probes the nodes on {@code ports} (once at once, then every 100 ms). */
  static ReadinessProbe of(int... ports) {
    return new ReadinessProbe(ports);
  }

  /** The index of the first node that answered ready at its last probe; -1 when none did. */
  int firstReady() {
    for (int i = 0; i < ports.length; i++) {
      if (ready.get(i) == 1) {
        return i;
      }
    }
    return -1;
  }

  private void probe() {
    for (int i = 0; i < ports.length; i++) {
      ready.set(i, isReady(ports[i]) ? 1 : 0);
    }
  }

  private boolean isReady(int port) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).timeout(EVERY.multipliedBy(5)).build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
