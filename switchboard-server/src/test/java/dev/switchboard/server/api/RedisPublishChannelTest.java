package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --redis-publish-channel}: the pattern guide's {@code broadcastToUser}, run unchanged with the
 * {@code redis} npm client ({@code interop/standalone/publish-channel.test.mjs}), reaches official
 * clients on two nodes of a real Redis, each once; what it drops is counted in the node's meters.
 */
class RedisPublishChannelTest {
  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @Test
  void theGuidesBackendCodeReachesEachSocketOnceOnTwoNodes() throws Exception {
    Map<String, String> channel = Map.of("redis-publish-channel", "ws:events");
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp a = ServerApiClusterTest.node(redis.uri(), channel);
        SwitchboardApp b = ServerApiClusterTest.node(redis.uri(), channel)) {
      NodeRunner.Result result = NodeRunner.runTest("standalone/publish-channel.test.mjs", Map.of(
          "SWITCHBOARD_URLS", "http://127.0.0.1:" + a.port() + ",http://127.0.0.1:" + b.port(),
          "SWITCHBOARD_JWT_SECRET", ApiTestClients.SECRET,
          "SWITCHBOARD_API_KEY", ApiTestClients.KEY,
          "REDIS_URL", redis.uri()), Duration.ofSeconds(60));
      assertThat(result.exitCode())
          .as("node --test publish-channel.test.mjs failed; its output:%n%s", result.outputText())
          .isZero();
    }
  }

  @Test
  void malformedMessagesAreCountedInTheMeters() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp node = ServerApiClusterTest.node(redis.uri(), Map.of("redis-publish-channel", "ws:events"))) {
      MeterRegistry registry = node.meterRegistry().orElseThrow();
      RedisClient client = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<String, String> connection = client.connect()) {
        for (String message : new String[] {"not json", "[1,2]", "{\"room\":\"\",\"event\":\"e\"}",
            "{\"room\":\"r\",\"event\":\"presence:join\"}", "{\"room\":\"r\",\"event\":\"news\",\"data\":1}"}) {
          assertThat(connection.sync().publish("ws:events", message)).isEqualTo(1);
        }
      } finally {
        client.shutdown();
      }
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(count(registry, "malformed")).isEqualTo(4);
        assertThat(count(registry, "delivered")).isEqualTo(1);
      });
    }
  }

  private static double count(MeterRegistry registry, String result) {
    return registry.get("switchboard.publish.channel.messages").tag("result", result).functionCounter().count();
  }

  @Test
  void theChannelNeedsRedis() {
    assertThatThrownBy(() -> TestApps.start(Map.of("redis-publish-channel", "ws:events")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("needs --redis");
  }
}
