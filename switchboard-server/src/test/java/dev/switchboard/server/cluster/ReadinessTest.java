package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.redis.RedisProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code /readyz} says whether a node should be sent new clients: not while the Redis its cluster
 * needs is away, nor once it drains; {@code /healthz} (liveness) stays 200 throughout.
 */
class ReadinessTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void aNodeIsNotReadyWhileItsRedisIsAwayAndIsAgainOnceRedisIsBack() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp node = ClusterTest.node(redis.uri(), Map.of())) {
      assertThat(get(node, "/readyz")).isEqualTo(new Answer(200, "{\"status\":\"ready\"}"));

      redis.kill();
      await().atMost(Duration.ofSeconds(10)).until(() -> get(node, "/readyz").status() == 503);
      assertThat(get(node, "/readyz").body()).contains("\"code\":\"REDIS_UNREACHABLE\"");
      assertThat(get(node, "/healthz").status()).isEqualTo(200);

      redis.startAgain();
      // The node's periodic refresh (every 2 s) is the first command to succeed again.
      await().atMost(Duration.ofSeconds(10)).until(() -> get(node, "/readyz").status() == 200);
    }
  }

  @Test
  void aNodeIsNotReadyFromTheMomentItDrains() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp node = ClusterTest.node(redis.uri(), Map.of("drain-window", "5s"))) {
      assertThat(get(node, "/readyz").status()).isEqualTo(200);
      node.drain();
      Answer ready = get(node, "/readyz");
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.body()).contains("\"code\":\"DRAINING\"");
      assertThat(get(node, "/healthz").status()).isEqualTo(200);
      Answer handshake = get(node, "/socket.io/?EIO=4&transport=polling");
      assertThat(handshake.status()).isEqualTo(503);
    }
  }

  @Test
  void aSingleNodeIsReadyUntilItDrains() throws Exception {
    try (SwitchboardApp node = TestApps.start(Map.of("demo", "false"))) {
      assertThat(get(node, "/readyz").status()).isEqualTo(200);
      node.drain().toCompletableFuture().join();
      assertThat(get(node, "/readyz").status()).isEqualTo(503);
    }
  }

  private record Answer(int status, String body) {}

  private static Answer get(SwitchboardApp node, String path) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }
}
