package dev.switchboard.sample.chat;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.util.List;

/** What clients send to the chat, and what it answers. */
final class ChatRequests {
  static final String ROOM = "[a-z0-9-]{1,32}";

  private ChatRequests() {}

  /** {@code join}: enter a room and get its recent messages. */
  record JoinRoom(@NotBlank @Pattern(regexp = ROOM, message = "must be 1 to 32 of a-z, 0-9 and -") String room) {}

  record Joined(String room, List<Message> recent) {}

  /** {@code send}: a message to a room the socket is in. */
  record SendMessage(@NotBlank String room, @NotBlank @Size(max = 500) String text) {}

  /** {@code edit}: new text for one's own message. */
  record EditMessage(@Positive long id, @NotBlank @Size(max = 500) String text) {}

  record Sent(boolean ok, long id) {}
}
