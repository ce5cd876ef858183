package dev.switchboard.server.config;

import java.util.Locale;
import java.util.Optional;

/** Where {@code POST /api/v1/chat} gets its answers. */
public enum LlmProvider {
  /** Built in and offline: streams the last user message back, word by word. */
  ECHO("", "echo"),
  /** Anthropic's Messages API. */
  ANTHROPIC("https://api.anthropic.com", "claude-sonnet-4-5"),
  /** OpenAI's chat completions API, or any server compatible with it. */
  OPENAI("https://api.openai.com", "gpt-4o-mini");

  private final String defaultBaseUrl;
  private final String defaultModel;

  LlmProvider(String defaultBaseUrl, String defaultModel) {
    this.defaultBaseUrl = defaultBaseUrl;
    this.defaultModel = defaultModel;
  }

  public String defaultBaseUrl() {
    return defaultBaseUrl;
  }

  public String defaultModel() {
    return defaultModel;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<LlmProvider> fromWireName(String name) {
    for (LlmProvider provider : values()) {
      if (provider.wireName().equals(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(provider);
      }
    }
    return Optional.empty();
  }
}
