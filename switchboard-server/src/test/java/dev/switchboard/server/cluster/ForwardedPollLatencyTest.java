package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Round trip of an emit with ack from a polling-only client (official Java client, one connection
 * per request) when every request reaches its session's node, and when every request after the
 * handshake reaches the other node and is forwarded through Redis; prints p50 / p99.
 */
class ForwardedPollLatencyTest {
  private static final int WARMUP = 200;
  private static final int EMITS = 400;
  /** Default heartbeat; no event rate limit, which a client emitting back to back would hit. */
  private static final Map<String, String> LATENCY_NODE = Map.of("connection-state-recovery", "false",
      "event-rate", "0", "user-event-rate", "0");

  @Test
  void forwardedPollsAddLittleToLocalOnes() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp nodeA = PollingAcrossNodesTest.node(redis.uri(), LATENCY_NODE);
        SwitchboardApp nodeB = PollingAcrossNodesTest.node(redis.uri(), LATENCY_NODE)) {
      long[] local;
      long[] forwarded;
      try (ConnectionProxy toA = ConnectionProxy.roundRobin(nodeA.port())) {
        local = roundTrips(toA.url());
      }
      try (ConnectionProxy toB = ConnectionProxy.firstThenRest(nodeA.port(), nodeB.port())) {
        forwarded = roundTrips(toB.url());
        assertThat(toB.connectionsTo(1)).as("requests forwarded by node B").isGreaterThan(EMITS);
      }
      System.out.printf("polling emit+ack round trip over %d emits: local p50 %.2f ms p99 %.2f ms;"
          + " forwarded (Redis) p50 %.2f ms p99 %.2f ms%n", EMITS, ms(local, 0.50), ms(local, 0.99),
          ms(forwarded, 0.50), ms(forwarded, 0.99));
      assertThat(ms(forwarded, 0.99)).as("forwarded p99 in ms").isLessThan(250);
    }
  }

  /** Sorted round trips of {@link #EMITS} emits with ack, after a warm-up. */
  private static long[] roundTrips(String url) {
    List<Socket> clients = new ArrayList<>();
    Socket socket = PollingAcrossNodesTest.pollingClient(url, clients);
    try {
      JavaClients.connectNow(socket);
      long[] times = new long[EMITS];
      for (int i = 0; i < WARMUP + EMITS; i++) {
        long start = System.nanoTime();
        Object[] ack = JavaClients.emitWithAck(socket, "echo", i);
        long took = System.nanoTime() - start;
        assertThat(ack[0]).isEqualTo(i);
        if (i >= WARMUP) {
          times[i - WARMUP] = took;
        }
      }
      Arrays.sort(times);
      return times;
    } finally {
      socket.close();
    }
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }
}
