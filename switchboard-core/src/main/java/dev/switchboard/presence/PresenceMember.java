package dev.switchboard.presence;

import java.util.Map;
import java.util.Objects;

/**
 * Someone present in a room: a user (or, without identity, a single connection) and the public
 * information shown to others, such as a display name.
 *
 * @param id the user id, or the socket id of an anonymous connection
 * @param info public information ({@code name}, ...); never secrets
 */
public record PresenceMember(String id, Map<String, Object> info) {
  public PresenceMember {
    Objects.requireNonNull(id, "id");
    info = Map.copyOf(info);
  }
}
