package dev.switchboard.server.messages;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * A message a client published to a room with {@code room:publish}, as it was sent to the room.
 *
 * @param room the room
 * @param event the event name the members got
 * @param data the data the members got
 * @param id the message id, when the client gave one
 * @param socket the id of the publishing socket
 * @param user the publishing user (the token's subject), when authenticated
 * @param position the message's position in the room's history, when the room keeps it
 */
public record PublishedMessage(String room, String event, JsonNode data, Optional<String> id, String socket,
    Optional<String> user, Optional<String> position) {
  public PublishedMessage {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(socket, "socket");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(position, "position");
  }
}
