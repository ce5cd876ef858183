package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.config.LlmConfig;
import java.io.IOException;
import java.net.http.HttpRequest;

/**
 * OpenAI-compatible chat completions, streaming: {@code POST /v1/chat/completions} with
 * {@code stream: true}; text arrives in {@code choices[0].delta.content}, the end as {@code [DONE]}.
 */
final class OpenAiProtocol implements UpstreamProtocol {
  private final LlmConfig config;

  OpenAiProtocol(LlmConfig config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public HttpRequest request(ChatRequest request) {
    ObjectNode body = ChatJson.MAPPER.createObjectNode()
        .put("model", request.model().orElse(config.model()))
        .put("stream", true);
    body.set("messages", ChatJson.messages(request));
    return UpstreamRequests.post(config.baseUrl().orElseThrow(), "/v1/chat/completions", body.toString())
        .header("Authorization", "Bearer " + config.apiKey())
        .build();
  }

  @Override
  public boolean event(String name, String data, ChatSink sink) {
    if (data.trim().equals("[DONE]")) {
      sink.done();
      return true;
    }
    JsonNode node;
    try {
      node = ChatJson.MAPPER.readTree(data);
    } catch (IOException e) {
      sink.error(UpstreamErrors.UPSTREAM_ERROR, "openai sent an unreadable event");
      return true;
    }
    if (node.has("error") || "error".equals(name)) {
      sink.error(UpstreamErrors.UPSTREAM_ERROR, UpstreamErrors.describe("openai reported an error", node));
      return true;
    }
    JsonNode content = node.path("choices").path(0).path("delta").path("content");
    if (content.isTextual() && !content.asText().isEmpty()) {
      sink.text(content.asText());
    }
    return false;
  }
}
