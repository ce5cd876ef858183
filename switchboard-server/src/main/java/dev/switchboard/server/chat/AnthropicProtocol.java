package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.config.LlmConfig;
import java.io.IOException;
import java.net.http.HttpRequest;

/**
 * Anthropic's Messages API, streaming: {@code POST /v1/messages} with {@code stream: true}; text
 * arrives in {@code content_block_delta} events, the end in {@code message_stop}.
 */
final class AnthropicProtocol implements UpstreamProtocol {
  static final String VERSION = "2023-06-01";
  static final int MAX_TOKENS = 1024;

  private final LlmConfig config;

  AnthropicProtocol(LlmConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public HttpRequest request(ChatRequest request) {
    ObjectNode body = ChatJson.MAPPER.createObjectNode()
        .put("model", request.model().orElse(config.model()))
        .put("max_tokens", MAX_TOKENS)
        .put("stream", true);
    body.set("messages", ChatJson.messages(request));
    return UpstreamRequests.post(config.baseUrl().orElseThrow(), "/v1/messages", body.toString())
        .header("x-api-key", config.apiKey())
        .header("anthropic-version", VERSION)
        .build();
  }

  @Override
  public boolean event(String name, String data, ChatSink sink) {
    JsonNode node;
    try {
      node = ChatJson.MAPPER.readTree(data);
    } catch (IOException e) {
      sink.error(UpstreamErrors.UPSTREAM_ERROR, "anthropic sent an unreadable event");
      return true;
    }
    String type = node.path("type").asText(name);
    switch (type) {
      case "content_block_delta" -> {
        JsonNode delta = node.path("delta");
        if ("text_delta".equals(delta.path("type").asText())) {
          sink.text(delta.path("text").asText(""));
        }
        return false;
      }
      case "message_stop" -> {
        sink.done();
        return true;
      }
      case "error" -> {
        sink.error(UpstreamErrors.UPSTREAM_ERROR, UpstreamErrors.describe("anthropic reported an error", node));
        return true;
      }
      default -> {
        return false;
      }
    }
  }
}
