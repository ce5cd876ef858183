package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Three nodes on one Redis with official Node clients spread over them ({@code interop/cluster}). */
class ClusterNodeClientTest {
  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @Test
  void roomsUsersAcksAndPresenceSpanThreeNodes() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp a = ClusterTest.node(redis.uri(), Map.of());
        SwitchboardApp b = ClusterTest.node(redis.uri(), Map.of());
        SwitchboardApp c = ClusterTest.node(redis.uri(), Map.of())) {
      String urls = Stream.of(a, b, c).map(node -> "http://127.0.0.1:" + node.port()).collect(Collectors.joining(","));
      NodeRunner.Result result = NodeRunner.runTest("cluster/cluster.test.mjs",
          Map.of("SWITCHBOARD_URLS", urls, "SWITCHBOARD_JWT_SECRET", Clients.SECRET), Duration.ofSeconds(60));
      assertThat(result.exitCode())
          .as("node --test cluster.test.mjs failed; its output:%n%s", result.outputText())
          .isZero();
    }
  }
}
