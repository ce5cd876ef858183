package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.turn.TurnServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The browser-side package {@code clients/js} ({@code @switchboard/client}): its unit tests, its
 * integration tests against the real standalone server with the official socket.io-client (with
 * and without JWT authentication, the React hooks, the packed tarball installed into a new
 * project), and its tests in headless Chromium.
 */
class JsClientPackageTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String JWT_SECRET = "js-client-package-test-secret-of-32-bytes-or-more";
  private static final String TURN_SECRET = "js-client-turn-secret";

  @Test
  void unitTests() {
    for (String script : new String[] {"test/unit/queue.test.mjs", "test/unit/presence.test.mjs", "test/unit/indexeddb.test.mjs", "test/unit/types.test.mjs"}) {
      passes(script, Map.of());
    }
  }

  @Test
  void againstTheStandaloneServer() {
    try (SwitchboardApp app = TestApps.start(Map.of("ping-interval", "500ms", "ping-timeout", "500ms"))) {
      passes("test/integration/client.test.mjs", Map.of("SWITCHBOARD_URL", "http://127.0.0.1:" + app.port()));
    }
  }

  /**
   * Short-lived tokens: SSE streams reopened on {@code auth:expired}, sockets refreshed on
   * {@code auth:expiring}; and the React hooks.
   */
  @Test
  void againstTheStandaloneServerWithJwtAuthentication() {
    try (SwitchboardApp app = TestApps.start(Map.of("demo", "false", "jwt-secret", JWT_SECRET, "jwt-clock-skew", "0s",
        "auth-expiry-warning", "1s", "history-max-length", "5", "call-mesh-limit", "2"))) {
      Map<String, String> env = Map.of("SWITCHBOARD_URL", "http://127.0.0.1:" + app.port(), "JWT_SECRET", JWT_SECRET);
      passes("test/integration/stream.test.mjs", env);
      passes("test/integration/auth.test.mjs", env);
      passes("test/integration/react.test.mjs", env);
      passes("test/integration/pack.test.mjs", env);
    }
  }

  /**
   * In headless Chromium: call() between pages with fake cameras (relay-only through a real
   * coturn behind a TCP relay the script can cut), and the offline queue on real IndexedDB across
   * reloads.
   */
  @Test
  void inChromium() throws IOException {
    NodeRunner.ensureBrowser();
    try (TurnServerProcess turn = TurnServerProcess.start(TURN_SECRET)) {
      int proxyPort = freePort();
      Map<String, String> settings = Map.of("demo", "false", "jwt-secret", JWT_SECRET, "call-mesh-limit", "3",
          "turn-secret", TURN_SECRET, "turn-urls", "turn:127.0.0.1:" + proxyPort + "?transport=tcp", "turn-ttl", "4s",
          "sfu-api-key", "js-client-key", "sfu-api-secret", "js-client-sfu-secret-of-at-least-32-bytes");
      try (SwitchboardApp app = TestApps.start(settings)) {
        Map<String, String> env = Map.of("SWITCHBOARD_URL", "http://127.0.0.1:" + app.port(), "JWT_SECRET", JWT_SECRET,
            "TURN_PORT", Integer.toString(turn.port()), "TURN_PROXY_PORT", Integer.toString(proxyPort));
        passes("test/browser/call.test.mjs", env);
        passes("test/browser/reload.test.mjs", env);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void passes(String script, Map<String, String> env) {
    NodeRunner.Result result = NodeRunner.runTest(packageDir(), script, env, TIMEOUT);
    assertThat(result.exitCode())
        .as("node --test %s failed; its output:%n%s", script, result.outputText())
        .isZero();
  }

  /** {@code clients/js}, found from the working directory upwards. */
  static Path packageDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("clients/js");
      if (Files.isRegularFile(candidate.resolve("package.json"))) {
        return candidate;
      }
    }
    throw new AssertionError("no clients/js/package.json above " + Path.of("").toAbsolutePath());
  }
}
