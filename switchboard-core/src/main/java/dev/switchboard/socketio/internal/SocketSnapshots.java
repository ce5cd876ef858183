package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.RemoteSocket;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A socket as JSON for another node's {@code fetchSockets()}, and back. */
final class SocketSnapshots {
  private SocketSnapshots() {}

  /** {@code {id, rooms, data, handshake}}; data values that are not JSON are left out. On the socket's loop. */
  static JsonNode toJson(RealSocket socket) {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("id", socket.id());
    socket.rooms().forEach(json.putArray("rooms")::add);
    ObjectNode data = json.putObject("data");
    socket.data().forEach((key, value) -> {
      try {
        data.set(key, Json.MAPPER.valueToTree(value));
      } catch (IllegalArgumentException e) {
        // not JSON: stays on its node
      }
    });
    Handshake handshake = socket.handshake();
    ObjectNode hs = json.putObject("handshake");
    hs.set("headers", Json.MAPPER.valueToTree(handshake.headers()));
    hs.set("query", Json.MAPPER.valueToTree(handshake.query()));
    hs.set("auth", handshake.auth());
    hs.put("address", handshake.address());
    hs.put("time", handshake.time().toEpochMilli());
    hs.put("url", handshake.url());
    hs.put("secure", handshake.secure());
    hs.put("xdomain", handshake.xdomain());
    return json;
  }

  /** A socket of another node; its operations go through the cluster. */
  static RemoteSocket fromJson(JsonNode json, RealNamespace nsp) {
    Set<String> rooms = new LinkedHashSet<>();
    json.path("rooms").forEach(room -> rooms.add(room.asText()));
    Map<String, Object> data = new LinkedHashMap<>();
    json.path("data").fields().forEachRemaining(field -> data.put(field.getKey(), field.getValue()));
    JsonNode hs = json.path("handshake");
    Handshake handshake = Handshake.of(strings(hs.path("headers")),
        hs.path("auth").isObject() ? hs.get("auth") : Json.MAPPER.createObjectNode(),
        hs.path("address").asText(""), Instant.ofEpochMilli(hs.path("time").asLong()), hs.path("url").asText(""),
        hs.path("secure").asBoolean());
    return new ClusterRemoteSocket(json.path("id").asText(), handshake, Set.copyOf(rooms), Map.copyOf(data), nsp);
  }

  private static Map<String, String> strings(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(field -> out.put(field.getKey(), field.getValue().asText()));
    return Map.copyOf(out);
  }
}
