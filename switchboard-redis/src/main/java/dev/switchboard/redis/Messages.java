package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.cluster.Stamp;
import dev.switchboard.history.StreamPosition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON that travels over the channels: broadcasts, requests and replies, each with the id of
 * the node that sent it. Binary attachments are base64. The request channel carries requests,
 * broadcasts that ask for acknowledgements and server-side events ({@link ToAll}); a node's own
 * channel carries replies and acknowledgements ({@link ToNode}).
 */
final class Messages {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** A decoded broadcast and the node that published it. */
  record Broadcast(String origin, ClusterBroadcast message) {}

  /**
   * A broadcast kept in the shared streams, as published by the script that stamped it: a header
   * line {@code S<epoch> <offset> <recovery id> <µs>} and the broadcast. {@code selfDelivered}
   * are the indexes of rooms whose members the publishing node served itself; {@code sequence}
   * tells the publishing node's broadcasts apart ({@link OwnBroadcasts}).
   */
  record Stamped(Stamp stamp, Broadcast broadcast, Set<Integer> selfDelivered, long sequence) {}

  /** What every node gets on the request channel. */
  sealed interface ToAll permits Request, AckedBroadcast, ServerEvent {
    /** The node that sent it, which gets the answers. */
    String origin();
  }

  /** A decoded request: its id, the node waiting for replies, and what to do. */
  record Request(String id, String origin, ClusterRequest request) implements ToAll {}

  /** A broadcast whose recipients' acknowledgements go back to {@code origin} under {@code id} until {@code timeout}. */
  record AckedBroadcast(String id, String origin, Duration timeout, ClusterBroadcast message) implements ToAll {}

  /** A server-side event; {@code id} is null when no answer is wanted. */
  record ServerEvent(String id, String origin, Duration timeout, ClusterServerEvent event) implements ToAll {}

  /** What a node gets on its own channel. */
  sealed interface ToNode permits Reply, Reached, Answer {
    String id();
  }

  /** A reply to request {@code id}. */
  record Reply(String id, String from, JsonNode body) implements ToNode {}

  /** Node {@code from} reached {@code answers} recipients of message {@code id}. */
  record Reached(String id, String from, int answers) implements ToNode {}

  /** One acknowledgement of message {@code id}. */
  record Answer(String id, byte[] argsJson, List<byte[]> attachments) implements ToNode {}

  private static final String ACKED_BROADCAST = "BROADCAST";
  private static final String SERVER_EVENT = "EVENT";

  private Messages() {}

  static byte[] broadcast(String origin, ClusterBroadcast message) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("o", origin);
    putBroadcast(json, message);
    return write(json);
  }

  private static void putBroadcast(ObjectNode json, ClusterBroadcast message) {
    json.put("n", message.namespace());
    json.put("e", message.event());
    putArgs(json, message.argsJson(), message.attachments());
    message.rooms().forEach(json.putArray("r")::add);
    message.except().forEach(json.putArray("x")::add);
    json.put("v", message.volatileDelivery());
    json.put("k", message.keep());
    if (message.positioned()) {
      json.put("p", true);
    }
  }

  /** A broadcast to be stamped, the publishing node's {@code sequence}-th; the script puts the header before it. */
  static byte[] broadcast(String origin, ClusterBroadcast message, Set<Integer> selfDelivered, long sequence) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("o", origin);
    json.put("q", sequence);
    putBroadcast(json, message);
    if (!selfDelivered.isEmpty()) {
      selfDelivered.forEach(json.putArray("sd")::add);
    }
    return write(json);
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
    if (newline == 0 || newline == bytes.length) {
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
    Stamp stamp;
    try {
      stamp = stamp(broadcast.message(), header[0], header[1], header[2]);
    } catch (NumberFormatException e) {
      throw new IOException("a malformed stamp offset", e);
    }
    return new Stamped(stamp, broadcast, selfDelivered, json.path("q").asLong());
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

  private static Broadcast broadcast(JsonNode json) throws IOException {
    return new Broadcast(json.path("o").asText(), clusterBroadcast(json));
  }

  private static ClusterBroadcast clusterBroadcast(JsonNode json) throws IOException {
    return new ClusterBroadcast(json.path("n").asText(), json.path("e").asText(), argsJson(json), attachments(json),
        strings(json.path("r")), Set.copyOf(strings(json.path("x"))), json.path("v").asBoolean(), json.path("k").asBoolean(),
        json.path("p").asBoolean());
  }

  static byte[] ackedBroadcast(String id, String origin, Duration timeout, ClusterBroadcast message) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("t", ACKED_BROADCAST);
    json.put("id", id);
    json.put("o", origin);
    json.put("ms", timeout.toMillis());
    putBroadcast(json, message);
    return write(json);
  }

  /** A server-side event; {@code id} null when no answer is wanted. */
  static byte[] serverEvent(String id, String origin, Duration timeout, ClusterServerEvent event) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("t", SERVER_EVENT);
    if (id != null) {
      json.put("id", id);
      json.put("ms", timeout.toMillis());
    }
    json.put("o", origin);
    json.put("n", event.namespace());
    json.put("e", event.event());
    putArgs(json, event.argsJson(), event.attachments());
    return write(json);
  }

  static ToAll toAll(byte[] bytes) throws IOException {
    JsonNode json = MAPPER.readTree(bytes);
    String type = json.path("t").asText();
    String origin = json.path("o").asText();
    return switch (type) {
      case ACKED_BROADCAST -> new AckedBroadcast(json.path("id").asText(), origin,
          Duration.ofMillis(json.path("ms").asLong()), clusterBroadcast(json));
      case SERVER_EVENT -> new ServerEvent(json.hasNonNull("id") ? json.get("id").asText() : null, origin,
          Duration.ofMillis(json.path("ms").asLong()),
          new ClusterServerEvent(json.path("n").asText(), json.path("e").asText(), argsJson(json), attachments(json)));
      default -> request(json);
    };
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

  private static Request request(JsonNode json) throws IOException {
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

  static byte[] reached(String id, String from, int answers) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("id", id);
    json.put("from", from);
    json.put("reached", answers);
    return write(json);
  }

  static byte[] answer(String id, byte[] argsJson, List<byte[]> attachments) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("id", id);
    putArgs(json, argsJson, attachments);
    return write(json);
  }

  static ToNode toNode(byte[] bytes) throws IOException {
    JsonNode json = MAPPER.readTree(bytes);
    String id = json.path("id").asText();
    if (json.has("reached")) {
      return new Reached(id, json.path("from").asText(), json.path("reached").asInt());
    }
    if (json.has("a")) {
      return new Answer(id, argsJson(json), attachments(json));
    }
    return new Reply(id, json.path("from").asText(), json.path("body"));
  }

  private static void putArgs(ObjectNode json, byte[] argsJson, List<byte[]> attachments) {
    json.put("a", new String(argsJson, StandardCharsets.UTF_8));
    ArrayNode encoded = json.putArray("b");
    attachments.forEach(bytes -> encoded.add(Base64.getEncoder().encodeToString(bytes)));
  }

  private static byte[] argsJson(JsonNode json) {
    return json.path("a").asText().getBytes(StandardCharsets.UTF_8);
  }

  private static List<byte[]> attachments(JsonNode json) throws IOException {
    List<byte[]> attachments = new ArrayList<>();
    for (JsonNode node : json.path("b")) {
      try {
        attachments.add(Base64.getDecoder().decode(node.asText()));
      } catch (IllegalArgumentException e) {
        throw new IOException("an attachment is not base64", e);
      }
    }
    return attachments;
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
