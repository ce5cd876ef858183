package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.DisconnectedSocket;
import java.io.IOException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A disconnected socket as it is kept in Redis: JSON with its ids, rooms, data and, on a Redis
 * Cluster, the node it was on (whose stream holds the packets sent to it alone).
 */
final class DisconnectedSockets {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A socket read back, and the node that kept it when it said. */
  record Kept(DisconnectedSocket socket, Optional<String> node) {}

  private DisconnectedSockets() {}

  static byte[] write(DisconnectedSocket socket, Optional<String> node) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("sid", socket.sid());
    json.put("pid", socket.pid());
    socket.rooms().forEach(json.putArray("rooms")::add);
    json.set("data", socket.data());
    node.ifPresent(id -> json.put("node", id));
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a disconnected socket", e);
    }
  }

  static Kept read(byte[] bytes) throws IOException {
    JsonNode json = MAPPER.readTree(bytes);
    Set<String> rooms = new HashSet<>();
    json.path("rooms").forEach(room -> rooms.add(room.asText()));
    DisconnectedSocket socket = new DisconnectedSocket(json.path("sid").asText(), json.path("pid").asText(), rooms,
        json.path("data").isObject() ? json.path("data") : MAPPER.createObjectNode());
    return new Kept(socket, json.hasNonNull("node") ? Optional.of(json.get("node").asText()) : Optional.empty());
  }
}
