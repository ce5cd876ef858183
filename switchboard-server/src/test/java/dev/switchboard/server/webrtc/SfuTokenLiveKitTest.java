package dev.switchboard.server.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
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

/**
 * SFU tokens from {@code POST /api/v1/sfu-token} and {@code sfu:token}, verified by LiveKit's
 * {@code TokenVerifier} from {@code livekit-server-sdk} ({@code interop/standalone/sfu-token.test.mjs}).
 */
class SfuTokenLiveKitTest {
  static final String API_KEY = "APIswitchboardTest";
  static final String API_SECRET = "livekit-api-secret-for-the-test-0123456789";
  static final String ROOM_RULES = """
      [
        {"room": "call:team-{team}", "join": {"teams": "{team}"}},
        {"room": "*"}
      ]
      """;
  static final String GRANTS = """
      [
        {"room": "call:webinar-*", "publish": {"role": "host"}}
      ]
      """;

  private SwitchboardApp app;

  @BeforeAll
  static void installClient() {
    NodeRunner.ensureInstalled();
  }

  @BeforeEach
  void start(@TempDir Path dir) throws IOException {
    app = TestApps.start(Map.of("demo", "false", "jwt-secret", CallHttp.SECRET,
        "room-rules", Files.writeString(dir.resolve("rules.json"), ROOM_RULES).toString(),
        "sfu-api-key", API_KEY, "sfu-api-secret", API_SECRET, "sfu-token-ttl", "5m",
        "sfu-grants", Files.writeString(dir.resolve("grants.json"), GRANTS).toString()));
  }

  @AfterEach
  void stop() {
    app.close();
  }

  @Test
  void tokensVerifyWithLiveKitsTokenVerifier() {
    NodeRunner.Result result = NodeRunner.runTest("standalone/sfu-token.test.mjs", Map.of(
        "SWITCHBOARD_URL", "http://127.0.0.1:" + app.port(),
        "SWITCHBOARD_JWT_SECRET", CallHttp.SECRET,
        "SFU_API_KEY", API_KEY,
        "SFU_API_SECRET", API_SECRET,
        "SFU_TOKEN_TTL_SECONDS", Long.toString(Duration.ofMinutes(5).toSeconds())), Duration.ofSeconds(90));
    assertThat(result.exitCode())
        .as("node --test sfu-token.test.mjs failed; its output:%n%s", result.outputText())
        .isZero();
  }
}
