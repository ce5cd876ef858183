package dev.switchboard.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.NodeRunner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Admin UI ({@code @socket.io/admin-ui} 0.5.1, its built {@code ui/dist} served by a
 * tiny static server of the script) in real headless Chromium against the standalone server with
 * {@code --admin}: the script {@code interop/admin/admin-ui.test.mjs} logs in, reads the page and
 * acts through it; its assertions decide.
 */
class AdminUiBrowserTest {
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(150);
  private static final String PASSWORD = "correct horse battery";

  private SwitchboardApp app;

  @BeforeAll
  static void requireBrowser() {
    NodeRunner.ensureBrowser();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void officialAdminUiLogsInListsSocketsAndDisconnectsOne() throws IOException {
    int uiPort = freePort();
    String hash = new String(BCrypt.withDefaults().hash(4, PASSWORD.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    ConfigValues values = new ConfigValues()
        .set("port", "0", "test").set("host", "127.0.0.1", "test")
        .set("admin", "true", "test")
        .set("admin-password-hash", hash, "test")
        .set("allowed-origins", "http://127.0.0.1:" + uiPort, "test");
    app = SwitchboardApp.start(ServerConfig.from(values));
    Map<String, String> env = new HashMap<>();
    env.put("SWITCHBOARD_URL", "http://127.0.0.1:" + app.port());
    env.put("ADMIN_UI_PORT", String.valueOf(uiPort));
    env.put("ADMIN_PASSWORD", PASSWORD);
    env.put("ADMIN_HOSTNAME", InetAddress.getLocalHost().getHostName());
    env.put("SCREENSHOT_DIR", Path.of("target", "screenshots").toAbsolutePath().toString());
    NodeRunner.Result result = NodeRunner.runTest("admin/admin-ui.test.mjs", env, SCRIPT_TIMEOUT);
    assertThat(result.exitCode()).as("node --test admin-ui.test.mjs failed; its output:%n%s", result.outputText()).isZero();
    assertThat(Path.of("target", "screenshots", "admin-ui-dashboard.png")).isNotEmptyFile();
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
