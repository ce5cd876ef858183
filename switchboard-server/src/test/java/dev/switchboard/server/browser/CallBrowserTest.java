package dev.switchboard.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisProcess;
import dev.switchboard.testkit.turn.TurnServerProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pattern guide's Pattern 3 call client in two headless Chromium pages against standalone
 * servers ({@code interop/browser/call.test.mjs}): directly, relay-only through a real coturn with
 * the credentials the server hands out, an ICE restart after the caller's TURN connection is cut,
 * and across two nodes on a real redis-server. The script prints the signaling latency and the time
 * to the first remote frame.
 */
class CallBrowserTest {
  private static final String JWT_SECRET = "call-browser-test-secret-of-at-least-32-bytes";
  private static final String TURN_SECRET = "call-browser-turn-secret";
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);

  @BeforeAll
  static void requireBrowser() {
    NodeRunner.ensureBrowser();
  }

  private static Map<String, String> settings(String... more) {
    Map<String, String> settings = new HashMap<>(Map.of("demo", "false", "jwt-secret", JWT_SECRET, "turn-secret", TURN_SECRET));
    for (int i = 0; i < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return settings;
  }

  @Test
  void theGuidesCallConnectsDirectlyAndThroughCoturnAndRestartsIce() throws Exception {
    try (TurnServerProcess turn = TurnServerProcess.start(TURN_SECRET)) {
      int proxyPort = freePort();
      try (SwitchboardApp app = TestApps.start(settings("turn-urls", String.join(",", turn.turnUrls())));
          SwitchboardApp restart = TestApps.start(settings("turn-urls", "turn:127.0.0.1:" + proxyPort + "?transport=tcp"))) {
        run(Map.of("SWITCHBOARD_URL", url(app), "SWITCHBOARD_RESTART_URL", url(restart),
            "TURN_PORT", Integer.toString(turn.port()), "TURN_PROXY_PORT", Integer.toString(proxyPort), "CALL_LABEL", "one node"));
      }
      List<String> log = turn.log();
      for (String user : List.of("relay-caller", "relay-callee", "restart-caller")) {
        assertThat(log).as("coturn allocated a relay for %s", user)
            .anyMatch(line -> line.contains(":" + user + ">: incoming packet ALLOCATE processed, success"));
      }
    }
  }

  @Test
  void theGuidesCallConnectsAcrossTwoNodes() throws Exception {
    try (TurnServerProcess turn = TurnServerProcess.start(TURN_SECRET);
        RedisProcess redis = RedisProcess.start();
        SwitchboardApp a = TestApps.start(settings("redis", redis.uri(), "turn-urls", String.join(",", turn.turnUrls())));
        SwitchboardApp b = TestApps.start(settings("redis", redis.uri(), "turn-urls", String.join(",", turn.turnUrls())))) {
      run(Map.of("SWITCHBOARD_URL", url(a), "SWITCHBOARD_CALLEE_URL", url(b), "CALL_LABEL", "two nodes, caller on one and callee on the other"));
    }
  }

  private static void run(Map<String, String> env) {
    Map<String, String> all = new HashMap<>(env);
    all.put("JWT_SECRET", JWT_SECRET);
    NodeRunner.Result result = NodeRunner.runTest("browser/call.test.mjs", all, SCRIPT_TIMEOUT);
    assertThat(result.exitCode())
        .as("node --test call.test.mjs failed; its output:%n%s", result.outputText())
        .isZero();
    assertThat(result.outputText()).contains("CALL_SIGNALING_LATENCY", "CALL_FIRST_FRAME");
  }

  private static String url(SwitchboardApp app) {
    return "http://127.0.0.1:" + app.port();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
