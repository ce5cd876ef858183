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

/** Connection state recovery with the official Node client's {@code recovered} flag. */
class NodeRecoveryInteropTest {
  private TestServer server;

  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @BeforeEach
  void startServer() {
    server = TestServer.start(RecoveryContract.options(), RecoveryContract::install);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void recovery() {
    NodeRunner.Result result = NodeRunner.runTest("node/recovery.test.mjs", Map.of(
        "SWITCHBOARD_URL", server.url(),
        "SWITCHBOARD_MAX_DISCONNECTION_MS", Long.toString(RecoveryContract.MAX_DISCONNECTION.toMillis()),
        "SWITCHBOARD_RECOVERY_MAX_BYTES", Long.toString(RecoveryContract.MAX_BYTES)),
        Duration.ofSeconds(90));
    assertThat(result.exitCode())
        .as("node --test recovery.test.mjs failed; its output:%n%s", result.outputText())
        .isZero();
  }
}
