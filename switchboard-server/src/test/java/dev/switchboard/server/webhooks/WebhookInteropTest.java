package dev.switchboard.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.NodeRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README's Node receiver against the standalone server ({@code interop/standalone/webhooks.test.mjs}):
 * official socket.io clients connect, join, publish and leave in several ways while README's
 * {@code verifySwitchboardWebhook} checks every request, signed with two secrets during a rotation.
 */
class WebhookInteropTest {
  static final String NEW_SECRET = "new-webhook-secret-0123456789abcdef";
  static final String OLD_SECRET = "old-webhook-secret-0123456789abcdef";
  static final String API_KEY = "webhook-test-api-key-0123456789";

  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @Test
  void readmesNodeReceiverVerifiesEveryRequestAndGetsTheEventsReadmeDescribes() throws Exception {
    int receiverPort = freePort();
    try (SwitchboardApp app = TestApps.start(Map.of("demo", "false", "api-key", API_KEY,
        "webhook-url", "http://127.0.0.1:" + receiverPort + "/hooks#events=*,publish@chat:*",
        "webhook-secret", NEW_SECRET + "," + OLD_SECRET, "webhook-batch-delay", "10ms"))) {
      NodeRunner.Result result = NodeRunner.runTest("standalone/webhooks.test.mjs", Map.of(
          "SWITCHBOARD_URL", "http://127.0.0.1:" + app.port(),
          "RECEIVER_PORT", Integer.toString(receiverPort),
          "SWITCHBOARD_API_KEY", API_KEY,
          "SWITCHBOARD_WEBHOOK_SECRET", NEW_SECRET + "," + OLD_SECRET), Duration.ofSeconds(90));
      assertThat(result.exitCode())
          .as("node --test webhooks.test.mjs failed; its output:%n%s", result.outputText())
          .isZero();
      assertThat(app.webhooks().stats().failed()).isZero();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
