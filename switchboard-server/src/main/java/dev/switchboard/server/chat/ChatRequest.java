package dev.switchboard.server.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated chat request: {@code {messages: [{role, content}], model?}}.
 *
 * @param messages the conversation so far, ending with a user message
 * @param model the model asked for; empty for the configured one
 * @param conversationId when given, the answer is also published to room {@code chat:{conversationId}}
 *     (so other tabs, and SSE streams resuming after a drop, follow it)
 */
public record ChatRequest(List<ChatMessage> messages, Optional<String> model, Optional<String> conversationId) {
  public ChatRequest {
    messages = List.copyOf(messages);
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(conversationId, "conversationId");
  }

  /** The text of the last message (always the user's). */
  public String lastUserText() {
    return messages.get(messages.size() - 1).content();
  }
}
