package dev.switchboard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Node {@code socket.io-client} against a real server: each test starts a fresh
 * {@link InteropContract} server and runs one script of {@code interop/node/} with
 * {@code node --test}; the script's assertions decide.
 */
class NodeClientInteropTest {
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(90);

  private TestServer server;

  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @BeforeEach
  void startServer() {
    server = TestServer.start(InteropContract.options(), InteropContract::install);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void transports() {
    run("transports.test.mjs");
  }

  @Test
  void namespaces() {
    run("namespaces.test.mjs");
  }

  @Test
  void authAndMiddleware() {
    run("middleware.test.mjs");
  }

  @Test
  void acks() {
    run("acks.test.mjs");
  }

  @Test
  void binary() {
    run("binary.test.mjs");
  }

  @Test
  void roomsAndBroadcasts() {
    run("rooms.test.mjs");
  }

  @Test
  void reconnection() {
    run("reconnection.test.mjs");
  }

  @Test
  void payloadLimits() {
    run("limits.test.mjs");
  }

  @Test
  void disconnectReasons() {
    run("disconnect.test.mjs");
  }

  private void run(String script) {
    NodeRunner.Result result = NodeRunner.runTest("node/" + script, Map.of(
        "SWITCHBOARD_URL", server.url(),
        "SWITCHBOARD_MAX_HTTP_BUFFER_SIZE", Integer.toString(InteropContract.MAX_HTTP_BUFFER_SIZE)), SCRIPT_TIMEOUT);
    assertThat(result.exitCode())
        .as("node --test %s failed; its output:%n%s", script, result.outputText())
        .isZero();
  }
}
