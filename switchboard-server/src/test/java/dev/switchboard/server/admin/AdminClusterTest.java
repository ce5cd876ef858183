package dev.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisProcess;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Admin UI's server half on two standalone nodes sharing a real redis-server, plus a read-only
 * single node: the script {@code interop/admin/admin-cluster.test.mjs} speaks the UI's protocol
 * with the official socket.io-client (sessions across nodes, stats and sockets of both nodes, an
 * action on the other node, malformed and read-only actions refused).
 */
class AdminClusterTest {
  private static final String PASSWORD = "correct horse battery";

  private final List<SwitchboardApp> apps = new ArrayList<>();
  private RedisProcess redis;

  @BeforeAll
  static void requireNode() {
    NodeRunner.ensureInstalled();
  }

  @AfterEach
  void stop() {
    apps.forEach(SwitchboardApp::close);
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void twoNodesShareSessionsStatsSocketsAndActions() throws Exception {
    redis = RedisProcess.start();
    String hash = new String(BCrypt.withDefaults().hash(4, PASSWORD.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    SwitchboardApp a = start(hash, "redis", redis.uri());
    SwitchboardApp b = start(hash, "redis", redis.uri());
    SwitchboardApp readonly = start(hash, "admin-readonly", "true");
    NodeRunner.Result result = NodeRunner.runTest("admin/admin-cluster.test.mjs", Map.of(
        "NODE_A", "http://127.0.0.1:" + a.port(),
        "NODE_B", "http://127.0.0.1:" + b.port(),
        "READONLY_URL", "http://127.0.0.1:" + readonly.port(),
        "ADMIN_PASSWORD", PASSWORD), Duration.ofSeconds(120));
    System.out.println(result.outputText());
    assertThat(result.exitCode()).as("node --test admin-cluster.test.mjs failed; its output:%n%s", result.outputText()).isZero();
  }

  private SwitchboardApp start(String hash, String key, String value) {
    ConfigValues values = new ConfigValues()
        .set("port", "0", "test").set("host", "127.0.0.1", "test")
        .set("admin", "true", "test")
        .set("admin-password-hash", hash, "test")
        .set(key, value, "test");
    SwitchboardApp app = SwitchboardApp.start(ServerConfig.from(values));
    apps.add(app);
    return app;
  }
}
