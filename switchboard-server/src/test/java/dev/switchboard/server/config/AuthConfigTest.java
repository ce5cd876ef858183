package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthConfigTest {
  @Test
  void openModeByDefaultWithRecoverySkippingMiddlewares() {
    ServerConfig config = ServerConfig.from(new ConfigValues());
    assertThat(config.auth().enabled()).isFalse();
    assertThat(config.socketIo().connectionStateRecovery().orElseThrow().skipMiddlewares()).isTrue();
  }

  @Test
  void jwtAndAuthorizationSettings(@TempDir Path dir) throws Exception {
    Path rules = Files.writeString(dir.resolve("rules.json"), "[{\"room\": \"doc:{id}\", \"join\": {\"docs\": \"{id}\"}}]");
    ServerConfig config = ServerConfig.from(new ConfigValues()
        .set("jwt-secret", "x".repeat(32), "test")
        .set("jwt-issuer", "https://issuer.example", "test")
        .set("jwt-clock-skew", "0", "test")
        .set("auth-cookie", "session", "test")
        .set("room-rules", rules.toString(), "test")
        .set("authz-webhook", "http://127.0.0.1:9/authorize", "test")
        .set("authz-cache-ttl", "5s", "test"));
    AuthConfig auth = config.auth();
    assertThat(auth.enabled()).isTrue();
    assertThat(auth.options().orElseThrow().issuer()).contains("https://issuer.example");
    assertThat(auth.options().orElseThrow().clockSkew()).isZero();
    assertThat(auth.options().orElseThrow().cookieName()).contains("session");
    assertThat(auth.rules().orElseThrow()).hasSize(1);
    assertThat(auth.cacheTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.socketIo().connectionStateRecovery().orElseThrow().skipMiddlewares()).isFalse();
  }

  @Test
  void badAuthSettingsSayWhich(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("jwt-secret", "short", "flag --jwt-secret")))
        .hasMessageContaining("jwt-secret").hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("authz-webhook", "http://127.0.0.1/a", "test")))
        .hasMessageContaining("needs authentication");
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("jwt-public-key", dir.resolve("none.pem").toString(), "test")))
        .hasMessageContaining("no such file");
    Path rules = Files.writeString(dir.resolve("bad.json"), "{\"room\": 1}");
    assertThatThrownBy(() -> ServerConfig.from(new ConfigValues().set("jwt-secret", "x".repeat(32), "test")
        .set("room-rules", rules.toString(), "test"))).hasMessageContaining("room-rules");
  }
}
