package dev.switchboard.server.chat;

/**
 * One turn of a conversation.
 *
 * @param role {@code user} or {@code assistant}
 * @param content the text
 */
public record ChatMessage(String role, String content) {}
