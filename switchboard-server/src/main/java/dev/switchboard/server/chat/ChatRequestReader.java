package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and validates the body of {@code POST /api/v1/chat}. */
public final class ChatRequestReader {
  private ChatRequestReader() {}

  static final int MAX_MESSAGES = 200;
  private static final Pattern CONVERSATION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/@-]{1,100}");

  public static ChatRequest read(String body) throws InvalidChatRequest {
    JsonNode root;
    try {
      root = ChatJson.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new InvalidChatRequest("INVALID_JSON", "the body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidChatRequest("INVALID_JSON", "the body must be a JSON object {messages, model?}");
    }
    JsonNode messages = root.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new InvalidChatRequest("INVALID_REQUEST", "messages must be a non-empty array of {role, content}");
    }
    if (messages.size() > MAX_MESSAGES) {
      throw new InvalidChatRequest("INVALID_REQUEST", "at most " + MAX_MESSAGES + " messages are accepted");
    }
    List<ChatMessage> read = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      read.add(message(messages.get(i), i));
    }
    if (!read.get(read.size() - 1).role().equals("user")) {
      throw new InvalidChatRequest("INVALID_MESSAGE", "the last message must have role user");
    }
    return new ChatRequest(read, model(root.get("model")), conversationId(root.get("conversationId")));
  }

  private static ChatMessage message(JsonNode node, int index) throws InvalidChatRequest {
    String where = "messages[" + index + "]";
    if (!node.isObject()) {
      throw new InvalidChatRequest("INVALID_MESSAGE", where + " must be an object {role, content}");
    }
    JsonNode role = node.get("role");
    if (role == null || !(role.asText().equals("user") || role.asText().equals("assistant")) || !role.isTextual()) {
      throw new InvalidChatRequest("INVALID_MESSAGE", where + ".role must be user or assistant");
    }
    JsonNode content = node.get("content");
    if (content == null || !content.isTextual() || content.asText().isBlank()) {
      throw new InvalidChatRequest("INVALID_MESSAGE", where + ".content must be a non-empty string");
    }
    return new ChatMessage(role.asText(), content.asText());
  }

  private static Optional<String> conversationId(JsonNode id) throws InvalidChatRequest {
    if (id == null || id.isNull()) {
      return Optional.empty();
    }
    if (!id.isTextual() || !CONVERSATION_ID.matcher(id.asText()).matches()) {
      throw new InvalidChatRequest("INVALID_REQUEST", "conversationId must be 1 to 100 letters, digits or _-.:");
    }
    return Optional.of(id.asText());
  }

  private static Optional<String> model(JsonNode model) throws InvalidChatRequest {
    if (model == null || model.isNull()) {
      return Optional.empty();
    }
    if (!model.isTextual() || !MODEL.matcher(model.asText()).matches()) {
      throw new InvalidChatRequest("INVALID_MODEL", "model must be 1 to 100 letters, digits or ._:/@-");
    }
    return Optional.of(model.asText());
  }
}
