package dev.switchboard.server.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import dev.switchboard.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebRTC signaling of the standalone server with the official Node client
 * ({@code interop/standalone/signaling*.test.mjs}): on one node, across two nodes of a cluster on a
 * real redis-server and on a Redis Cluster, and without authentication. The scripts print the signaling latency they measure.
 */
class SignalingNodeClientTest {
  static final String SECRET = "signaling-test-secret-of-at-least-32-bytes";

  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  static SwitchboardApp node(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of("demo", "false", "jwt-secret", SECRET));
    settings.putAll(extra);
    return TestApps.start(settings);
  }

  @Test
  void signalingOnOneNode() {
    try (SwitchboardApp app = node(Map.of())) {
      run(List.of(app), "one node");
    }
  }

  @Test
  void signalingAcrossTwoNodesOfACluster() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp a = node(Map.of("redis", redis.uri()));
        SwitchboardApp b = node(Map.of("redis", redis.uri()))) {
      run(List.of(a, b), "two nodes, caller on one and callee on the other");
    }
  }

  @Test
  void signalingAcrossTwoNodesOfARedisCluster() throws Exception {
    try (RedisClusterProcesses redis = RedisClusterProcesses.start(3);
        SwitchboardApp a = node(Map.of("redis", redis.uri()));
        SwitchboardApp b = node(Map.of("redis", redis.uri()))) {
      run(List.of(a, b), "two nodes on a Redis Cluster of 3 masters");
    }
  }

  @Test
  void signalingWithoutAuthentication() {
    try (SwitchboardApp open = TestApps.start(Map.of("demo", "false", "webrtc-signaling", "open"));
        SwitchboardApp callRooms = TestApps.start(Map.of("demo", "false"))) {
      NodeRunner.Result result = NodeRunner.runTest("standalone/signaling-open.test.mjs", Map.of(
          "SWITCHBOARD_OPEN_URL", url(open), "SWITCHBOARD_URL", url(callRooms)), Duration.ofSeconds(60));
      assertThat(result.exitCode())
          .as("node --test signaling-open.test.mjs failed; its output:%n%s", result.outputText())
          .isZero();
    }
  }

  private static void run(List<SwitchboardApp> nodes, String label) {
    String urls = nodes.stream().map(SignalingNodeClientTest::url).collect(Collectors.joining(","));
    NodeRunner.Result result = NodeRunner.runTest("standalone/signaling.test.mjs", Map.of(
        "SWITCHBOARD_URLS", urls, "SWITCHBOARD_JWT_SECRET", SECRET, "SWITCHBOARD_LABEL", label), Duration.ofSeconds(120));
    assertThat(result.exitCode())
        .as("node --test signaling.test.mjs failed; its output:%n%s", result.outputText())
        .isZero();
    assertThat(result.outputText()).contains("SIGNALING_LATENCY");
  }

  private static String url(SwitchboardApp app) {
    return "http://127.0.0.1:" + app.port();
  }
}
