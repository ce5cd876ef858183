package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.NodeRunner;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The standalone server's built-in events with the official Node client ({@code interop/standalone}). */
class StandaloneNodeClientTest {
  private static final Duration PING_INTERVAL = Duration.ofMillis(300);
  private static final Duration PING_TIMEOUT = Duration.ofMillis(300);

  private SwitchboardApp app;

  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @BeforeEach
  void start() {
    app = SwitchboardApp.start(ServerConfig.from(new ConfigValues()
        .set("host", "127.0.0.1", "test")
        .set("port", "0", "test")
        .set("ping-interval", PING_INTERVAL.toMillis() + "ms", "test")
        .set("ping-timeout", PING_TIMEOUT.toMillis() + "ms", "test")));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void limits() {
    SwitchboardApp limited = SwitchboardApp.start(ServerConfig.from(new ConfigValues()
        .set("host", "127.0.0.1", "test")
        .set("port", "0", "test")
        .set("event-rate", "5", "test")
        .set("disconnect-after-refusals", "20", "test")
        .set("max-connections-per-user", "2", "test")
        .set("allowed-origins", "http://good.example", "test")));
    try {
      NodeRunner.Result result = NodeRunner.runTest("standalone/limits.test.mjs",
          Map.of("SWITCHBOARD_URL", "http://127.0.0.1:" + limited.port()), Duration.ofSeconds(90));
      assertThat(result.exitCode())
          .as("node --test limits.test.mjs failed; its output:%n%s", result.outputText())
          .isZero();
    } finally {
      limited.close();
    }
  }

  @Test
  void presenceHistoryAndDedupe() {
    NodeRunner.Result result = NodeRunner.runTest("standalone/presence.test.mjs", Map.of(
        "SWITCHBOARD_URL", "http://127.0.0.1:" + app.port(),
        "SWITCHBOARD_DEAD_AFTER_MS", Long.toString(PING_INTERVAL.plus(PING_TIMEOUT).toMillis())),
        Duration.ofSeconds(90));
    assertThat(result.exitCode())
        .as("node --test presence.test.mjs failed; its output:%n%s", result.outputText())
        .isZero();
  }
}
