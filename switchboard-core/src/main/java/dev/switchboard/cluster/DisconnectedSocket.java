package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Set;

/**
 * The state of a socket that lost its connection, kept so that it can be recovered on any node.
 *
 * @param sid the socket id it gets back
 * @param pid the private id its client recovers with
 * @param rooms the rooms it was in, its own included
 * @param data the JSON-representable part of its {@code data}, as an object
 */
public record DisconnectedSocket(String sid, String pid, Set<String> rooms, JsonNode data) {
  public DisconnectedSocket {
    Objects.requireNonNull(sid, "sid");
    Objects.requireNonNull(pid, "pid");
    rooms = Set.copyOf(rooms);
    Objects.requireNonNull(data, "data");
  }
}
