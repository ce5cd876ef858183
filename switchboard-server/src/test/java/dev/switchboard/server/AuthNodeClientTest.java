package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.NodeRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authentication, refresh and room rules with the official Node client ({@code interop/standalone/auth.test.mjs}). */
class AuthNodeClientTest {
  static final String SECRET = "a-test-secret-of-at-least-thirty-two-bytes";
  static final String ISSUER = "https://auth.example";
  static final String AUDIENCE = "switchboard";
  static final String RULES = """
      [
        {"room": "document:{id}", "join": {"documents": "{id}"}},
        {"room": "announcements", "publish": {"role": "admin"}},
        {"room": "*"}
      ]
      """;

  private SwitchboardApp app;

  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @BeforeEach
  void start(@TempDir Path dir) throws IOException {
    Path rules = Files.writeString(dir.resolve("rules.json"), RULES);
    app = SwitchboardApp.start(ServerConfig.from(new ConfigValues()
        .set("host", "127.0.0.1", "test")
        .set("port", "0", "test")
        .set("jwt-secret", SECRET, "test")
        .set("jwt-issuer", ISSUER, "test")
        .set("jwt-audience", AUDIENCE, "test")
        .set("jwt-clock-skew", "0", "test")
        .set("auth-expiry-warning", "1s", "test")
        .set("room-rules", rules.toString(), "test")));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void tokensRefreshAndRoomRules() {
    NodeRunner.Result result = NodeRunner.runTest("standalone/auth.test.mjs", Map.of(
        "SWITCHBOARD_URL", "http://127.0.0.1:" + app.port(),
        "SWITCHBOARD_JWT_SECRET", SECRET,
        "SWITCHBOARD_JWT_ISSUER", ISSUER,
        "SWITCHBOARD_JWT_AUDIENCE", AUDIENCE,
        "SWITCHBOARD_EXPIRY_WARNING_MS", "1000"), Duration.ofSeconds(90));
    assertThat(result.exitCode())
        .as("node --test auth.test.mjs failed; its output:%n%s", result.outputText())
        .isZero();
  }
}
