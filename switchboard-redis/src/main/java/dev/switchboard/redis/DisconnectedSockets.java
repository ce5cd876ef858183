package dev.switchboard.redis;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.cluster.DisconnectedSocket;
import java.io.ByteArrayOutputStream;
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

  /** Written field by field: a node writes every connected socket's state each time it changes. */
  static byte[] write(DisconnectedSocket socket, Optional<String> node) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator json = MAPPER.getFactory().createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("sid", socket.sid());
      json.writeStringField("pid", socket.pid());
      json.writeArrayFieldStart("rooms");
      for (String room : socket.rooms()) {
        json.writeString(room);
      }
      json.writeEndArray();
      json.writeFieldName("data");
      MAPPER.writeTree(json, socket.data());
      if (node.isPresent()) {
        json.writeStringField("node", node.get());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a disconnected socket", e);
    }
    return out.toByteArray();
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
