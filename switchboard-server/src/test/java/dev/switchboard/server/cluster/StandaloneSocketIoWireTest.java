package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import dev.switchboard.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two standalone servers started with {@code --redis-wire socketio} beside a Node Socket.IO node
 * and {@code @socket.io/redis-emitter} ({@code interop/cluster/standalone-socketio-wire.test.mjs});
 * and with {@code --redis-wire socketio-sharded} beside a Node node on {@code createShardedAdapter},
 * on a Redis Cluster.
 */
class StandaloneSocketIoWireTest {
  @BeforeAll
  static void installPackages() {
    NodeRunner.ensureInstalled();
  }

  @Test
  void standaloneNodesJoinANodeClusterAndHearTheEmitter() throws Exception {
    Map<String, String> wire = Map.of("redis-wire", "socketio");
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp a = ClusterTest.node(redis.uri(), wire);
        SwitchboardApp b = ClusterTest.node(redis.uri(), wire)) {
      NodeRunner.Result result = NodeRunner.runTest("cluster/standalone-socketio-wire.test.mjs", Map.of(
          "REDIS_URL", redis.uri(),
          "SWITCHBOARD_URLS", "http://127.0.0.1:" + a.port() + ",http://127.0.0.1:" + b.port(),
          "SWITCHBOARD_JWT_SECRET", Clients.SECRET), Duration.ofSeconds(60));
      assertThat(result.exitCode())
          .as("node --test standalone-socketio-wire.test.mjs failed; its output:%n%s", result.outputText())
          .isZero();
    }
  }

  @Test
  void standaloneNodesJoinAShardedNodeClusterOnARedisCluster() throws Exception {
    Map<String, String> wire = Map.of("redis-wire", "socketio-sharded", "redis-subscription-mode", "dynamic");
    try (RedisClusterProcesses redis = RedisClusterProcesses.start(3);
        SwitchboardApp a = ClusterTest.node(redis.uri(), wire);
        SwitchboardApp b = ClusterTest.node(redis.uri(), wire)) {
      NodeRunner.Result result = NodeRunner.runTest("cluster/standalone-socketio-wire.test.mjs", Map.of(
          "REDIS_URL", redis.uri(),
          "SHARDED", "dynamic",
          "SWITCHBOARD_URLS", "http://127.0.0.1:" + a.port() + ",http://127.0.0.1:" + b.port(),
          "SWITCHBOARD_JWT_SECRET", Clients.SECRET), Duration.ofSeconds(60));
      assertThat(result.exitCode())
          .as("node --test standalone-socketio-wire.test.mjs (sharded) failed; its output:%n%s", result.outputText())
          .isZero();
    }
  }
}
