package dev.switchboard.spring.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.engineio.Transport;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.config.Settings;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The switchboard.* properties against the standalone server's settings they map onto. */
class SwitchboardPropertiesTest {

  private static ServerConfig bind(Map<String, String> properties) {
    SwitchboardProperties bound = new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("switchboard", SwitchboardProperties.class);
    return SwitchboardSettings.serverConfig(bound);
  }

  @Test
  void everyPropertyIsAStandaloneSettingOfTheSameName() {
    for (RecordComponent component : SwitchboardProperties.class.getRecordComponents()) {
      String key = SwitchboardSettings.key(component);
      assertThat(Settings.byKey(key).isPresent() || SwitchboardSettings.STARTER_ONLY.contains(key))
          .as("property switchboard.%s", key).isTrue();
    }
  }

  @Test
  void noPropertiesGiveTheStandaloneDefaults() {
    ServerConfig config = bind(Map.of());
    assertThat(config.port()).isEqualTo(3000);
    assertThat(config.socketIo().engine().pingInterval()).isEqualTo(Duration.ofSeconds(25));
    assertThat(config.drain().window()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.auth().enabled()).isFalse();
  }

  @Test
  void relaxedNamesAndSpringTypesReachTheOptions() {
    ServerConfig config = bind(Map.of(
        "switchboard.pingInterval", "500ms",
        "switchboard.ping_timeout", "PT2S",
        "switchboard.transports[0]", "websocket",
        "switchboard.max-connections-per-ip", "7",
        "switchboard.drain-window", "1s",
        "switchboard.jwt-secret", "0123456789abcdef0123456789abcdef"));
    assertThat(config.socketIo().engine().pingInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.socketIo().engine().pingTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.socketIo().engine().transports()).containsExactly(Transport.WEBSOCKET);
    assertThat(config.socketIo().engine().connectionLimits().maxConnectionsPerIp()).isEqualTo(7);
    assertThat(config.drain().window()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.auth().enabled()).isTrue();
  }

  @Test
  void anInvalidValueIsRefusedWithTheStandaloneMessageNamingTheProperty() {
    assertThatThrownBy(() -> bind(Map.of("switchboard.drain-window", "40s")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("drain-window").hasMessageContaining("property switchboard.drain-window");
  }

  @Test
  void theProcessorDescribesEveryPropertyForIdes() throws Exception {
    String metadata;
    try (InputStream in = SwitchboardProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("generated configuration metadata").isNotNull();
      metadata = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Arrays.stream(SwitchboardProperties.class.getRecordComponents()).map(SwitchboardSettings::key)
        .forEach(key -> assertThat(metadata).contains("\"name\": \"switchboard." + key + "\""));
    assertThat(metadata).contains("How often the server pings each connection");
  }
}
