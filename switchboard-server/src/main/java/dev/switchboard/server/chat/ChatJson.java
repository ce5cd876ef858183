package dev.switchboard.server.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON mapper of the chat endpoint, and the small bodies it writes. */
final class ChatJson {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private ChatJson() {}

  static String object(String key, String value) {
    return MAPPER.createObjectNode().put(key, value).toString();
  }

  static String error(String code, String message) {
    return MAPPER.createObjectNode().put("code", code).put("message", message).toString();
  }

  /** {@code messages} as the {@code [{role, content}]} array both APIs take. */
  static ArrayNode messages(ChatRequest request) {
    ArrayNode array = MAPPER.createArrayNode();
    for (ChatMessage message : request.messages()) {
      ObjectNode node = array.addObject();
      node.put("role", message.role());
      node.put("content", message.content());
    }
    return array;
  }
}
