package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Batched presence on two nodes of one Redis, members spread over both
 * ({@code interop/standalone/presence-diff.test.mjs}): each node folds the changes it hears, its
 * own and the other's, for its own clients that asked for diffs.
 */
class PresenceDiffClusterTest {
  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  private static SwitchboardApp node(String redisUri) {
    return SwitchboardApp.start(ServerConfig.from(TestApps.values(
        Map.of("demo", "false", "redis", redisUri, "presence-diff-interval", "500ms"))));
  }

  @Test
  void diffsSpanTwoNodes() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp a = node(redis.uri());
        SwitchboardApp b = node(redis.uri())) {
      NodeRunner.Result result = NodeRunner.runTest("standalone/presence-diff.test.mjs", Map.of(
          "SWITCHBOARD_URL", "http://127.0.0.1:" + a.port(),
          "SWITCHBOARD_URL_B", "http://127.0.0.1:" + b.port(),
          "SWITCHBOARD_SKIP_CROWD", "true"), Duration.ofSeconds(60));
      assertThat(result.exitCode())
          .as("node --test presence-diff.test.mjs failed; its output:%n%s", result.outputText())
          .isZero();
    }
  }
}
