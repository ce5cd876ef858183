package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.Stamp;
import dev.switchboard.history.StreamPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON that travels over the channels: broadcasts, requests and replies, each with the id of
 * the node that sent it. Binary attachments are base64.
 */
final class Messages {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A decoded broadcast and the node that published it. */
  record Broadcast(String origin, ClusterBroadcast message) {}

  /**
   * A broadcast kept in the shared streams, as published by the script that stamped it: a header
   * line {@code S<epoch> <offset> <recovery id> <µs>} and the broadcast. {@code selfDelivered}
   * are the indexes of rooms whose members the publishing node served itself.
   */
  record Stamped(Stamp stamp, Broadcast broadcast, Set<Integer> selfDelivered) {}

  /** A decoded request: its id, the node waiting for replies, and what to do. */
  record Request(String id, String origin, ClusterRequest request) {}

  /** A reply to request {@code id}. */
  record Reply(String id, String from, JsonNode body) {}

  private Messages() {}

  static byte[] broadcast(String origin, ClusterBroadcast message) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("o", origin);
    json.put("n", message.namespace());
    json.put("e", message.event());
    json.put("a", new String(message.argsJson(), StandardCharsets.UTF_8));
    ArrayNode attachments = json.putArray("b");
    message.attachments().forEach(bytes -> attachments.add(Base64.getEncoder().encodeToString(bytes)));
    message.rooms().forEach(json.putArray("r")::add);
    message.except().forEach(json.putArray("x")::add);
    json.put("v", message.volatileDelivery());
    json.put("k", message.keep());
    return write(json);
  }

  /** A broadcast to be stamped; the script puts the header before it. */
  static byte[] broadcast(String origin, ClusterBroadcast message, Set<Integer> selfDelivered) {
    byte[] plain = broadcast(origin, message);
    if (selfDelivered.isEmpty()) {
      return plain;
    }
    try {
      ObjectNode json = (ObjectNode) MAPPER.readTree(plain);
      selfDelivered.forEach(json.putArray("sd")::add);
      return write(json);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a cluster message", e);
    }
  }

  /** Whether a channel message is a stamped broadcast. */
  static boolean isStamped(byte[] bytes) {
    return bytes.length > 0 && bytes[0] == 'S';
  }

  static Stamped stamped(byte[] bytes) throws IOException {
    int newline = 0;
    while (newline < bytes.length && bytes[newline] != '\n') {
      newline++;
    }
    if (newline == bytes.length) {
      throw new IOException("a stamped broadcast without its header");
    }
    String[] header = new String(bytes, 1, newline - 1, StandardCharsets.UTF_8).split(" ", -1);
    if (header.length != 4) {
      throw new IOException("a malformed stamp");
    }
    JsonNode json = MAPPER.readTree(bytes, newline + 1, bytes.length - newline - 1);
    Broadcast broadcast = broadcast(json);
    Set<Integer> selfDelivered = new java.util.HashSet<>();
    json.path("sd").forEach(index -> selfDelivered.add(index.asInt()));
    Stamp stamp = stamp(broadcast.message(), header[0], header[1], header[2]);
    return new Stamped(stamp, broadcast, selfDelivered);
  }

  /** The stamp of a kept broadcast from what the script assigned ('' for what is not kept). */
  static Stamp stamp(ClusterBroadcast message, String epoch, String offset, String recoveryId) {
    boolean inHistory = !epoch.isEmpty() && message.rooms().size() == 1;
    return new Stamp(inHistory ? Optional.of(message.rooms().get(0)) : Optional.empty(),
        inHistory ? Optional.of(new StreamPosition(epoch, Long.parseLong(offset))) : Optional.empty(),
        recoveryId.isEmpty() ? Optional.empty() : Optional.of(recoveryId));
  }

  static Broadcast broadcast(byte[] bytes) throws IOException {
    return broadcast(MAPPER.readTree(bytes));
  }

  private static Broadcast broadcast(JsonNode json) {
    List<byte[]> attachments = new ArrayList<>();
    json.path("b").forEach(node -> attachments.add(Base64.getDecoder().decode(node.asText())));
    return new Broadcast(json.path("o").asText(), new ClusterBroadcast(json.path("n").asText(), json.path("e").asText(),
        json.path("a").asText().getBytes(StandardCharsets.UTF_8), attachments, strings(json.path("r")),
        Set.copyOf(strings(json.path("x"))), json.path("v").asBoolean(), json.path("k").asBoolean()));
  }

  static byte[] request(String id, String origin, ClusterRequest request) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("id", id);
    json.put("o", origin);
    json.put("t", request.type().name());
    json.put("n", request.namespace());
    request.rooms().forEach(json.putArray("r")::add);
    request.except().forEach(json.putArray("x")::add);
    request.targetRooms().forEach(json.putArray("tr")::add);
    json.put("c", request.close());
    return write(json);
  }

  static Request request(byte[] bytes) throws IOException {
    JsonNode json = MAPPER.readTree(bytes);
    ClusterRequest.Type type;
    try {
      type = ClusterRequest.Type.valueOf(json.path("t").asText());
    } catch (IllegalArgumentException e) {
      throw new IOException("unknown request type " + json.path("t").asText());
    }
    return new Request(json.path("id").asText(), json.path("o").asText(), new ClusterRequest(type,
        json.path("n").asText(), new LinkedHashSet<>(strings(json.path("r"))), new LinkedHashSet<>(strings(json.path("x"))),
        strings(json.path("tr")), json.path("c").asBoolean()));
  }

  static byte[] reply(String id, String from, JsonNode body) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("id", id);
    json.put("from", from);
    json.set("body", body);
    return write(json);
  }

  static Reply reply(byte[] bytes) throws IOException {
    JsonNode json = MAPPER.readTree(bytes);
    return new Reply(json.path("id").asText(), json.path("from").asText(), json.path("body"));
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>(array.size());
    array.forEach(node -> out.add(node.asText()));
    return out;
  }

  private static byte[] write(JsonNode json) {
    try {
      return MAPPER.writeValueAsBytes(json);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a cluster message", e);
    }
  }
}
