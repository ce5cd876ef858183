package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.webhooks.WebhookEndpoint;
import dev.switchboard.server.webhooks.WebhookEventType;
import dev.switchboard.server.webhooks.WebhookOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The webhook settings: {@code --webhook-url} repeated or comma-separated, filters, secrets, and their mistakes. */
class WebhookSettingsTest {
  private static final String SECRET = "a-webhook-secret-of-32-characters";

  private static ServerConfig fromFlags(String... args) {
    return ServerConfig.from(Main.values(new CommandLine(Main.spec()).parseArgs(args)));
  }

  @Test
  void theFlagMayBeRepeatedAndEachUrlMayHaveItsOwnFilter() {
    WebhookOptions webhooks = fromFlags("--webhook-url", "https://a.example/hooks",
        "--webhook-url", "https://b.example/in#events=disconnect,publish@orders:*, https://c.example/x",
        "--webhook-secret", SECRET + ",another-secret-of-32-characters!", "--webhook-events", "room.*",
        "--webhook-batch-size", "20", "--webhook-batch-delay", "0", "--webhook-queue-size", "500",
        "--webhook-retries", "2", "--webhook-timeout", "750ms").webhooks();
    assertThat(webhooks.endpoints()).extracting(WebhookEndpoint::url).containsExactly(URI.create("https://a.example/hooks"),
        URI.create("https://b.example/in"), URI.create("https://c.example/x"));
    assertThat(webhooks.endpoints().get(0).events().matches(WebhookEventType.ROOM_VACATED, Optional.of("r"))).isTrue();
    assertThat(webhooks.endpoints().get(0).events().matches(WebhookEventType.CONNECT, Optional.empty())).isFalse();
    assertThat(webhooks.endpoints().get(1).events().matches(WebhookEventType.PUBLISH, Optional.of("orders:1"))).isTrue();
    assertThat(webhooks.secrets()).hasSize(2);
    assertThat(webhooks.batchSize()).isEqualTo(20);
    assertThat(webhooks.batchDelay()).isZero();
    assertThat(webhooks.queueSize()).isEqualTo(500);
    assertThat(webhooks.retries()).isEqualTo(2);
    assertThat(webhooks.timeout()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void noUrlMeansNoWebhooksAndTheDefaultsAreDocumented() {
    WebhookOptions webhooks = ServerConfig.from(new ConfigValues()).webhooks();
    assertThat(webhooks.enabled()).isFalse();
    assertThat(webhooks.batchSize()).isEqualTo(WebhookOptions.DEFAULT_BATCH_SIZE);
    assertThat(webhooks.batchDelay()).isEqualTo(WebhookOptions.DEFAULT_BATCH_DELAY);
    assertThat(webhooks.queueSize()).isEqualTo(WebhookOptions.DEFAULT_QUEUE_SIZE);
    assertThat(webhooks.retries()).isEqualTo(WebhookOptions.DEFAULT_RETRIES);
    assertThat(webhooks.timeout()).isEqualTo(WebhookOptions.DEFAULT_TIMEOUT);
  }

  @Test
  void mistakesStopTheServerSayingWhich() {
    assertThatThrownBy(() -> fromFlags("--webhook-url", "https://a.example/hooks"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("webhook-secret").hasMessageContaining("signed");
    assertThatThrownBy(() -> fromFlags("--webhook-url", "https://a.example/hooks", "--webhook-secret", "short"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("at least 16 characters");
    assertThatThrownBy(() -> fromFlags("--webhook-url", "https://a.example/hooks#events=join", "--webhook-secret", SECRET))
        .isInstanceOf(ConfigException.class).hasMessageContaining("invalid webhook-url").hasMessageContaining("'join' is not an event type");
    assertThatThrownBy(() -> fromFlags("--webhook-events", "connect@lobby"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("invalid webhook-events");
    assertThatThrownBy(() -> fromFlags("--webhook-url", "mailto:ops@example.com", "--webhook-secret", SECRET))
        .isInstanceOf(ConfigException.class).hasMessageContaining("not an http");
  }

  @Test
  void otherFlagsStillRefuseBeingRepeated() {
    assertThatThrownBy(() -> new CommandLine(Main.spec()).parseArgs("--port", "1", "--port", "2"))
        .isInstanceOf(CommandLine.ParameterException.class);
  }
}
