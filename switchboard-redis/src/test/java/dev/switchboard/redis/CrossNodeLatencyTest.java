package dev.switchboard.redis;

import static dev.switchboard.redis.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Latency of a broadcast published on node A to a client on node A (same node) and on node B
 * (through Redis), measured in one JVM with the official Java client; prints p50 / p99.
 */
class CrossNodeLatencyTest {
  private static final int WARMUP = 300;
  private static final int MESSAGES = 1000;

  @Test
  void crossNodeDeliveryAddsLittleToSameNodeDelivery() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        Clients clients = new Clients();
        TestNode nodeA = TestNode.clustered(redis.uri(), TestNode.STANDALONE_WITHOUT_RECOVERY);
        TestNode nodeB = TestNode.clustered(redis.uri(), TestNode.STANDALONE_WITHOUT_RECOVERY)) {
      Socket same = clients.connect(nodeA.port(), "same");
      Socket cross = clients.connect(nodeB.port(), "cross");
      join(same, "lat");
      join(cross, "lat");
      long[] sameNode = new long[WARMUP + MESSAGES];
      long[] crossNode = new long[WARMUP + MESSAGES];
      CountDownLatch done = new CountDownLatch(2 * (WARMUP + MESSAGES));
      record(same, sameNode, done);
      record(cross, crossNode, done);

      for (int i = 0; i < WARMUP + MESSAGES; i++) {
        nodeA.io().to("lat").emit("t", i, System.nanoTime());
        long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
        while (System.nanoTime() < next) {
          Thread.onSpinWait(); // pace the publisher at 500 messages per second
        }
      }
      assertThat(done.await(30, TimeUnit.SECONDS))
          .as("every message arrived on both nodes; same node missing %s, cross node missing %s",
              missing(sameNode), missing(crossNode))
          .isTrue();
      long[] s = Arrays.copyOfRange(sameNode, WARMUP, sameNode.length);
      long[] c = Arrays.copyOfRange(crossNode, WARMUP, crossNode.length);
      Arrays.sort(s);
      Arrays.sort(c);
      System.out.printf("broadcast latency over %d messages: same node p50 %.2f ms p99 %.2f ms;"
          + " cross node (Redis) p50 %.2f ms p99 %.2f ms%n", MESSAGES, ms(s, 0.50), ms(s, 0.99), ms(c, 0.50), ms(c, 0.99));
      assertThat(ms(c, 0.99)).as("cross-node p99 in ms").isLessThan(250);
    }
  }

  private static void record(Socket socket, long[] latencies, CountDownLatch done) {
    AtomicInteger seen = new AtomicInteger();
    socket.on("t", args -> {
      long now = System.nanoTime();
      int index = ((Number) args[0]).intValue();
      latencies[index] = now - ((Number) args[1]).longValue();
      seen.incrementAndGet();
      done.countDown();
    });
  }

  /** The indexes of the messages not received (their latency still 0), the first 20 of them. */
  private static String missing(long[] latencies) {
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < latencies.length; i++) {
      if (latencies[i] == 0) {
        missing.add(i);
      }
    }
    return missing.size() + " " + missing.subList(0, Math.min(20, missing.size()));
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }
}
