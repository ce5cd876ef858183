package dev.switchboard.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.config.ServerConfig.LogFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code --metrics}, {@code --metrics-path} and {@code --log-format}: defaults, and bad values refused with the setting named. */
class ObservabilityConfigTest {
  private static ServerConfig config(String... keysAndValues) {
    ConfigValues values = new ConfigValues();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      values.set(keysAndValues[i], keysAndValues[i + 1], "flag --" + keysAndValues[i]);
    }
    return ServerConfig.from(values);
  }

  @Test
  void metricsAreServedAtMetricsAndLogsAreTextByDefault() {
    ServerConfig config = config();
    assertThat(config.observability().metricsPath()).contains("/metrics");
    assertThat(config.observability().logFormat()).isEqualTo(LogFormat.TEXT);
  }

  @Test
  void metricsCanMoveOrBeTurnedOffAndLogsCanBeJson() {
    assertThat(config("metrics-path", "/internal/prometheus").observability().metricsPath()).contains("/internal/prometheus");
    assertThat(config("metrics", "false").observability().metricsPath()).isEqualTo(Optional.empty());
    assertThat(config("log-format", "json").observability().logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(config("log-format", "JSON").observability().logFormat()).isEqualTo(LogFormat.JSON);
  }

  @Test
  void aMetricsPathThatIsNoPathOfItsOwnIsRefused() {
    assertThatThrownBy(() -> config("metrics-path", "metrics")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid metrics-path (from flag --metrics-path)");
    assertThatThrownBy(() -> config("metrics-path", "/")).hasMessageContaining("metrics-path");
    assertThatThrownBy(() -> config("metrics-path", "/sse")).hasMessageContaining("already the sse-path");
    assertThatThrownBy(() -> config("metrics-path", "/socket.io")).hasMessageContaining("already the path");
    assertThatThrownBy(() -> config("metrics-path", "/healthz")).hasMessageContaining("serves already");
    assertThatThrownBy(() -> config("metrics-path", "/api/v1/server/metrics")).hasMessageContaining("serves already");
  }

  @Test
  void anUnknownLogFormatIsRefused() {
    assertThatThrownBy(() -> config("log-format", "xml")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid log-format (from flag --log-format): 'xml' is not text or json");
  }

  @Test
  void theApiKeysNeverShowInTheConfigurationsText() {
    ServerConfig config = config("api-key", "a-key-of-sixteen-or-more", "jwt-secret", "a-secret-of-at-least-thirty-two-bytes!!");
    assertThat(config.toString()).doesNotContain("a-key-of-sixteen-or-more").doesNotContain("a-secret-of-at-least-thirty-two-bytes!!");
  }
}
