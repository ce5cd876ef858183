package dev.switchboard.server.config;

import dev.switchboard.server.webhooks.EventFilter;
import dev.switchboard.server.webhooks.WebhookEndpoint;
import dev.switchboard.server.webhooks.WebhookOptions;
import java.util.List;

/** The webhook settings as {@link WebhookOptions}. */
final class WebhookConfig {
  private WebhookConfig() {}

  static WebhookOptions from(ConfigValues values) {
    EventFilter defaults;
    try {
      defaults = EventFilter.parse(values.get(Settings.WEBHOOK_EVENTS));
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(values, Settings.WEBHOOK_EVENTS, e.getMessage());
    }
    List<WebhookEndpoint> endpoints;
    try {
      endpoints = WebhookEndpoint.parseList(values.get(Settings.WEBHOOK_URL), defaults);
    } catch (IllegalArgumentException e) {
      throw ServerConfig.invalid(values, Settings.WEBHOOK_URL, e.getMessage());
    }
    List<String> secrets = ServerConfig.list(values, Settings.WEBHOOK_SECRET);
    if (!endpoints.isEmpty() && secrets.isEmpty()) {
      throw ServerConfig.invalid(values, Settings.WEBHOOK_SECRET, "webhooks are signed: set a secret of at least "
          + WebhookOptions.MIN_SECRET_LENGTH + " characters (" + Settings.WEBHOOK_SECRET.environmentVariable() + ")");
    }
    for (String secret : secrets) {
      if (secret.length() < WebhookOptions.MIN_SECRET_LENGTH) {
        throw ServerConfig.invalid(values, Settings.WEBHOOK_SECRET, "each secret must have at least "
            + WebhookOptions.MIN_SECRET_LENGTH + " characters");
      }
    }
    return new WebhookOptions(endpoints, secrets,
        ServerConfig.integer(values, Settings.WEBHOOK_BATCH_SIZE, 1, 10_000),
        ServerConfig.durationOrZero(values, Settings.WEBHOOK_BATCH_DELAY),
        ServerConfig.integer(values, Settings.WEBHOOK_QUEUE_SIZE, 1, 10_000_000),
        ServerConfig.integer(values, Settings.WEBHOOK_RETRIES, 0, 100),
        WebhookOptions.DEFAULT_RETRY_BASE, WebhookOptions.DEFAULT_RETRY_MAX,
        ServerConfig.duration(values, Settings.WEBHOOK_TIMEOUT),
        WebhookOptions.DEFAULT_FLUSH_TIMEOUT);
  }
}
