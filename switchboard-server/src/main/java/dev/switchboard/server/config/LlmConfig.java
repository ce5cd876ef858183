package dev.switchboard.server.config;

import java.net.URI;
import java.util.Optional;

/**
 * The model behind {@code POST /api/v1/chat}, and how much each caller may use it.
 *
 * @param provider which API to call
 * @param baseUrl the API's base URL, without a trailing slash (empty for {@link LlmProvider#ECHO})
 * @param apiKey the API key (empty for {@link LlmProvider#ECHO}); never printed
 * @param model the model used when a request names none
 * @param limits answers per minute and concurrent streams per caller
 */
public record LlmConfig(LlmProvider provider, Optional<URI> baseUrl, String apiKey, String model, ChatLimits limits) {
  /** The offline echo model, with the default limits. */
  public static final LlmConfig ECHO = new LlmConfig(LlmProvider.ECHO, Optional.empty(), "", LlmProvider.ECHO.defaultModel(),
      ChatLimits.DEFAULTS);

  @Override
  public String toString() {
    return "LlmConfig[provider=" + provider.wireName() + ", baseUrl=" + baseUrl.map(URI::toString).orElse("none") + ", apiKey="
        + (apiKey.isEmpty() ? "none" : "(set)") + ", model=" + model + ", limits=" + limits + "]";
  }
}
