package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a server API publish takes from the HTTP call to the client's receipt, one call at a
 * time (a bounded loop): on one node, and called on one node for a client on another. Logged as
 * p50/p99; the assertion only catches a delivery gone badly wrong.
 */
class ServerApiLatencyTest {
  private static final Logger log = LoggerFactory.getLogger(ServerApiLatencyTest.class);
  private static final int WARMUP = 200;
  private static final int CALLS = 1_000;

  @Test
  void publishToReceiptOnOneNode() throws Exception {
    try (SwitchboardApp app = TestApps.start(Map.of("demo", "false", "jwt-secret", ApiTestClients.SECRET,
        "api-key", ApiTestClients.KEY));
        ApiTestClients clients = new ApiTestClients()) {
      measure("one node", new ApiClient(app.port(), ApiTestClients.KEY), clients.connect(app.port(), "ada"));
    }
  }

  @Test
  void publishToReceiptAcrossTwoNodes() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp a = ServerApiClusterTest.node(redis.uri(), Map.of());
        SwitchboardApp b = ServerApiClusterTest.node(redis.uri(), Map.of());
        ApiTestClients clients = new ApiTestClients()) {
      measure("two nodes (called on A, client on B)", new ApiClient(a.port(), ApiTestClients.KEY), clients.connect(b.port(), "ada"));
    }
  }

  private static void measure(String setup, ApiClient api, Socket receiver) throws InterruptedException {
    BlockingQueue<Long> receipts = new LinkedBlockingQueue<>();
    receiver.on("tick", args -> receipts.add(System.nanoTime()));
    long[] micros = new long[CALLS];
    for (int i = -WARMUP; i < CALLS; i++) {
      long sent = System.nanoTime();
      api.ok("publish", Map.of("user", "ada", "event", "tick", "data", i));
      Long received = receipts.poll(5, TimeUnit.SECONDS);
      assertThat(received).as("publish %s received", i).isNotNull();
      if (i >= 0) {
        micros[i] = (received - sent) / 1_000;
      }
    }
    Arrays.sort(micros);
    long p50 = micros[CALLS / 2];
    long p99 = micros[CALLS * 99 / 100];
    log.info("server API publish to receipt, {}: p50 {} us, p99 {} us, max {} us over {} calls", setup, p50, p99,
        micros[CALLS - 1], CALLS);
    assertThat(p99).as("p99 in microseconds").isLessThan(1_000_000);
  }
}
