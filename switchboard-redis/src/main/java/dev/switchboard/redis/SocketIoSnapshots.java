package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.http.internal.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A fetched socket between this server's shape and Node's: Node code reads
 * {@code handshake.time} as the text of a JavaScript Date and {@code handshake.issued} as its
 * milliseconds; this server reads {@code time} as milliseconds.
 */
final class SocketIoSnapshots {
  /** How JavaScript's {@code Date.prototype.toString} writes a time in UTC. */
  private static final DateTimeFormatter DATE_TEXT = DateTimeFormatter
      .ofPattern("EEE MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'", Locale.US)
      .withZone(ZoneOffset.UTC);

  private SocketIoSnapshots() {}

  /**
   * A socket of this node as a Node node answers it: {@code {id, handshake, rooms, data}}, the
   * handshake's fields in the order Node writes them ({@code headers, time, address, xdomain,
   * secure, issued, url, query, auth}).
   */
  static JsonNode toNode(JsonNode socket) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.set("id", socket.path("id"));
    JsonNode from = socket.path("handshake");
    ObjectNode handshake = node.putObject("handshake");
    long millis = from.path("time").asLong();
    handshake.set("headers", from.path("headers").isObject() ? from.get("headers") : Json.MAPPER.createObjectNode());
    handshake.put("time", DATE_TEXT.format(Instant.ofEpochMilli(millis)));
    handshake.put("address", from.path("address").asText(""));
    handshake.put("xdomain", from.path("xdomain").asBoolean(false));
    handshake.put("secure", from.path("secure").asBoolean(false));
    handshake.put("issued", millis);
    handshake.put("url", from.path("url").asText(""));
    handshake.set("query", from.path("query").isObject() ? from.get("query") : Json.MAPPER.createObjectNode());
    handshake.set("auth", from.path("auth").isObject() ? from.get("auth") : Json.MAPPER.createObjectNode());
    node.set("rooms", socket.path("rooms").isArray() ? socket.get("rooms") : Json.MAPPER.createArrayNode());
    node.set("data", socket.path("data").isObject() ? socket.get("data") : Json.MAPPER.createObjectNode());
    return node;
  }

  /** A socket of a Node node as this server reads it. */
  static JsonNode fromNode(JsonNode socket) {
    if (!(socket instanceof ObjectNode object)) {
      return socket;
    }
    if (object.get("handshake") instanceof ObjectNode handshake && handshake.path("issued").isNumber()) {
      handshake.put("time", handshake.get("issued").longValue());
    }
    return object;
  }
}
