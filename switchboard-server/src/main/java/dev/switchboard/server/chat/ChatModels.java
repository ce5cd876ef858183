package dev.switchboard.server.chat;

import dev.switchboard.server.config.LlmConfig;
import java.time.Duration;

/** Builds the model the configuration names. */
public final class ChatModels {
  /** The pause between two words of the echo model. */
  public static final Duration ECHO_DELAY = Duration.ofMillis(60);

  private ChatModels() {}

  public static ChatModel create(LlmConfig config) {
    return switch (config.provider()) {
      case ECHO -> new EchoModel(ECHO_DELAY);
      case ANTHROPIC -> new UpstreamModel(new AnthropicProtocol(config));
      case OPENAI -> new UpstreamModel(new OpenAiProtocol(config));
    };
  }
}
