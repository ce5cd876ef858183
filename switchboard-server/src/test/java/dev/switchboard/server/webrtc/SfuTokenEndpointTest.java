package dev.switchboard.server.webrtc;

import static dev.switchboard.server.webrtc.CallHttp.bearer;
import static dev.switchboard.server.webrtc.CallHttp.post;
import static dev.switchboard.server.webrtc.CallHttp.send;
import static dev.switchboard.server.webrtc.CallHttp.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.webrtc.CallHttp.Answer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /api/v1/sfu-token}: its refusals, open mode, and the SFU settings. */
@Timeout(60)
class SfuTokenEndpointTest {
  private static final String PATH = "/api/v1/sfu-token";

  private SwitchboardApp app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void badRequestsAndAMissingConfigurationGetTheirCodes() {
    app = TestApps.start(Map.of("demo", "false", "jwt-secret", CallHttp.SECRET,
        "sfu-api-key", SfuTokenLiveKitTest.API_KEY, "sfu-api-secret", SfuTokenLiveKitTest.API_SECRET));
    String ada = token("ada");
    assertCode(send(bearer(post(app.port(), PATH, "not json"), ada)), 400, "INVALID_REQUEST");
    assertCode(send(bearer(post(app.port(), PATH, "[]"), ada)), 400, "INVALID_REQUEST");
    assertCode(send(bearer(post(app.port(), PATH, "{\"room\": 7}"), ada)), 400, "INVALID_REQUEST");
    assertCode(send(bearer(post(app.port(), PATH, "{\"room\": \"call:1\", \"record\": \"yes\"}"), ada)), 400, "INVALID_REQUEST");
    assertCode(send(bearer(post(app.port(), PATH, "{\"room\": \"lobby\"}"), ada)), 400, "INVALID_ROOM");
    assertCode(send(bearer(post(app.port(), PATH, "{\"room\": \"call:" + "x".repeat(300) + "\"}"), ada)), 400, "INVALID_ROOM");
    assertCode(send(bearer(post(app.port(), PATH, "{\"room\": \"call:a b\"}"), ada)), 400, "INVALID_ROOM");
    assertCode(send(bearer(CallHttp.get(app.port(), PATH), ada)), 405, "METHOD_NOT_ALLOWED");
    assertCode(send(post(app.port(), PATH, "{\"room\": \"call:1\"}")), 401, "AUTH_REQUIRED");
    Answer issued = send(bearer(post(app.port(), PATH, "{\"room\": \"call:1\"}"), ada));
    assertThat(issued.status()).isEqualTo(200);
    assertThat(issued.header("cache-control")).isEqualTo("no-store");
  }

  @Test
  void withoutAnApiKeyTheEndpointSaysSo() {
    app = TestApps.start(Map.of("demo", "false", "jwt-secret", CallHttp.SECRET));
    assertCode(send(bearer(post(app.port(), PATH, "{\"room\": \"call:1\"}"), token("ada"))), 404, "SFU_NOT_CONFIGURED");
  }

  @Test
  void inOpenModeTheUserIsNamedByTheQuery() throws Exception {
    app = TestApps.start(Map.of("demo", "false",
        "sfu-api-key", SfuTokenLiveKitTest.API_KEY, "sfu-api-secret", SfuTokenLiveKitTest.API_SECRET));
    Answer named = send(post(app.port(), PATH + "?user=dora", "{\"room\": \"call:1\"}"));
    assertThat(named.status()).as(named.body().toString()).isEqualTo(200);
    assertThat(SignedJWT.parse(named.body().get("token").asText()).getJWTClaimsSet().getSubject()).isEqualTo("dora");
    assertCode(send(post(app.port(), PATH, "{\"room\": \"call:1\"}")), 401, "AUTH_REQUIRED");
  }

  @Test
  void sfuSettingsAreCheckedAtStart() {
    assertThatThrownBy(() -> ServerConfig.from(TestApps.values(Map.of("sfu-api-key", "key"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("go together");
    assertThatThrownBy(() -> ServerConfig.from(TestApps.values(Map.of("sfu-api-key", "key", "sfu-api-secret", "short"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sfu-api-secret").hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> ServerConfig.from(TestApps.values(Map.of("sfu-grants", "/nonexistent/grants.json"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("sfu-grants");
    ServerConfig config = ServerConfig.from(TestApps.values(Map.of("sfu-api-key", "key",
        "sfu-api-secret", SfuTokenLiveKitTest.API_SECRET, "sfu-token-ttl", "2m")));
    assertThat(config.sfu().ttl()).isEqualTo(Duration.ofMinutes(2));
    assertThat(ServerConfig.from(TestApps.values(Map.of())).sfu().configured()).isFalse();
    assertThat(ServerConfig.from(TestApps.values(Map.of())).sfu().ttl()).isEqualTo(Duration.ofMinutes(10));
  }

  private static void assertCode(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body().toString()).isEqualTo(status);
    assertThat(answer.body().get("code").asText()).isEqualTo(code);
  }
}
