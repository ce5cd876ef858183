package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.NodeRunner;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batched presence and presence:list pages with the official Node client
 * ({@code interop/standalone/presence-diff.test.mjs}) on one node.
 */
class PresenceDiffNodeClientTest {
  /** Long enough that a join and a leave sent back to back fall into one window. */
  static final String INTERVAL = "500ms";

  private SwitchboardApp app;

  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @BeforeEach
  void start() {
    app = TestApps.start(Map.of("presence-diff-interval", INTERVAL, "demo", "false"));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void diffsAndPages() {
    NodeRunner.Result result = NodeRunner.runTest("standalone/presence-diff.test.mjs",
        Map.of("SWITCHBOARD_URL", "http://127.0.0.1:" + app.port()), Duration.ofSeconds(120));
    assertThat(result.exitCode())
        .as("node --test presence-diff.test.mjs failed; its output:%n%s", result.outputText())
        .isZero();
  }
}
