package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.http.internal.Json;
import dev.switchboard.http.internal.PayloadException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The messages of the Node Redis adapter ({@code @socket.io/redis-adapter} 8.x) and of its
 * emitter, to and from this server's cluster messages. A broadcast is the notepack array
 * {@code [uid, packet, opts]} with {@code packet = {type: 2, data: [event, ...args], nsp}} and
 * {@code opts = {rooms, except, flags}}; requests and responses are JSON objects, except the
 * broadcast asking for acknowledgements and each of its acknowledgements, which are notepack maps.
 * Two flags the Node nodes ignore carry what Switchboard nodes tell each other about room history:
 * {@code sbKeep} (false for a broadcast history must not keep) and {@code sbPositioned}.
 */
final class SocketIoMessages {
  static final int SOCKETS = 0;
  static final int ALL_ROOMS = 1;
  static final int REMOTE_JOIN = 2;
  static final int REMOTE_LEAVE = 3;
  static final int REMOTE_DISCONNECT = 4;
  static final int REMOTE_FETCH = 5;
  static final int SERVER_SIDE_EMIT = 6;
  static final int BROADCAST = 7;
  static final int BROADCAST_CLIENT_COUNT = 8;
  static final int BROADCAST_ACK = 9;

  /** The packet type of an event ({@code socket.io-parser}); a binary event is 5. */
  private static final int EVENT = 2;
  private static final int BINARY_EVENT = 5;

  private SocketIoMessages() {}

  /** A broadcast and the node it came from ({@code emitter} for the emitter). */
  record Broadcast(String uid, ClusterBroadcast message) {}

  /** The notepack bytes of {@code broadcast} from node {@code uid}. */
  static byte[] broadcast(String uid, ClusterBroadcast broadcast) {
    ArrayNode message = Json.MAPPER.createArrayNode();
    message.add(uid);
    message.add(packet(broadcast));
    message.add(options(broadcast, Optional.empty()));
    return Notepack.encode(message);
  }

  /** The notepack bytes of a broadcast asking for acknowledgements within {@code timeout}. */
  static byte[] ackedBroadcast(String uid, String requestId, ClusterBroadcast broadcast, Duration timeout) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("uid", uid);
    request.put("requestId", requestId);
    request.put("type", BROADCAST);
    request.set("packet", packet(broadcast));
    request.set("opts", options(broadcast, Optional.of(timeout)));
    return Notepack.encode(request);
  }

  /** The channel of a broadcast: {@code <key>#<nsp>#}, or {@code <key>#<nsp>#<room>#} for exactly one room. */
  static String channel(String key, ClusterBroadcast broadcast) {
    String base = key + "#" + broadcast.namespace() + "#";
    return broadcast.rooms().size() == 1 ? base + broadcast.rooms().get(0) + "#" : base;
  }

  /** A JSON request of node {@code uid}: {@code {uid, requestId?, type, opts: {rooms, except}}}, more fields to add. */
  static ObjectNode request(String uid, Optional<String> requestId, int type, Set<String> rooms, Set<String> except) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("uid", uid);
    requestId.ifPresent(id -> request.put("requestId", id));
    request.put("type", type);
    ObjectNode opts = request.putObject("opts");
    rooms.forEach(opts.putArray("rooms")::add);
    except.forEach(opts.putArray("except")::add);
    return request;
  }

  /** {@code {uid, requestId?, type: 6, data: [event, ...args]}}. */
  static ObjectNode serverSideEmit(String uid, Optional<String> requestId, ClusterServerEvent event) {
    ObjectNode request = Json.MAPPER.createObjectNode();
    request.put("uid", uid);
    requestId.ifPresent(id -> request.put("requestId", id));
    request.put("type", SERVER_SIDE_EMIT);
    request.set("data", serverEventData(event));
    return request;
  }

  /** A response as a Node node writes it: {@code {type, requestId}}, more fields to add. */
  static ObjectNode response(int type, String requestId) {
    ObjectNode response = Json.MAPPER.createObjectNode();
    response.put("type", type);
    response.put("requestId", requestId);
    return response;
  }

  /** A response without a type: {@code {requestId}}, more fields to add. */
  static ObjectNode response(String requestId) {
    ObjectNode response = Json.MAPPER.createObjectNode();
    response.put("requestId", requestId);
    return response;
  }

  /** The notepack bytes of one acknowledgement of a broadcast: {@code {type: 9, requestId, packet: first argument}}. */
  static byte[] broadcastAck(String requestId, byte[] argsJson, List<byte[]> attachments) {
    ObjectNode response = response(BROADCAST_ACK, requestId);
    response.set("packet", firstArgument(argsJson, attachments));
    return Notepack.encode(response);
  }

  /** {@code {type: 2, data: [event, ...args], nsp}}, binary arguments as bin. */
  static ObjectNode packet(ClusterBroadcast broadcast) {
    ObjectNode packet = Json.MAPPER.createObjectNode();
    packet.put("type", EVENT);
    packet.set("data", data(broadcast.event(), broadcast.argsJson(), broadcast.attachments()));
    packet.put("nsp", broadcast.namespace());
    return packet;
  }

  /**
   * {@code {rooms, except, flags}}, the flags {@code volatile}, {@code timeout} (milliseconds) and
   * this server's own {@code sbKeep} and {@code sbPositioned} when they apply.
   */
  static ObjectNode options(ClusterBroadcast broadcast, Optional<Duration> timeout) {
    ObjectNode opts = Json.MAPPER.createObjectNode();
    broadcast.rooms().forEach(opts.putArray("rooms")::add);
    broadcast.except().forEach(opts.putArray("except")::add);
    ObjectNode flags = opts.putObject("flags");
    if (broadcast.volatileDelivery()) {
      flags.put("volatile", true);
    }
    timeout.ifPresent(wait -> flags.put("timeout", wait.toMillis()));
    if (!broadcast.keep()) {
      flags.put("sbKeep", false);
    }
    if (broadcast.positioned()) {
      flags.put("sbPositioned", true);
    }
    return opts;
  }

  /** {@code [event, ...args]} with the binary values back in place. */
  static ArrayNode data(String event, byte[] argsJson, List<byte[]> attachments) {
    ArrayNode data = Json.MAPPER.createArrayNode();
    data.add(event);
    try {
      data.addAll(Json.decodeArray(argsJson, attachments));
    } catch (IOException | PayloadException e) {
      throw new IllegalArgumentException("unreadable arguments of \"" + event + "\": " + e.getMessage(), e);
    }
    return data;
  }

  /**
   * The broadcast in notepack {@code bytes}, of namespace {@code namespace}; empty when it is of
   * another namespace or not an event.
   */
  static Optional<Broadcast> broadcast(byte[] bytes, String namespace) throws IOException {
    JsonNode message = Notepack.decode(bytes);
    if (!message.isArray() || message.size() < 3) {
      throw new IOException("a broadcast is [uid, packet, opts]");
    }
    return fromPacket(message.get(1), message.get(2), namespace)
        .map(broadcast -> new Broadcast(message.get(0).asText(""), broadcast));
  }

  /** The broadcast of a packet and its options; empty when it is of another namespace or not an event. */
  static Optional<ClusterBroadcast> fromPacket(JsonNode packet, JsonNode opts, String namespace) throws IOException {
    if (!packet.isObject() || !opts.isObject()) {
      throw new IOException("packet and opts must be maps");
    }
    // A packet without its namespace (the sharded adapter's) is of the namespace it came for.
    String nsp = packet.path("nsp").asText(namespace);
    int type = packet.path("type").asInt(-1);
    if (!nsp.equals(namespace) || type != EVENT && type != BINARY_EVENT) {
      return Optional.empty();
    }
    Event event = event(packet.path("data"));
    JsonNode flags = opts.path("flags");
    List<String> rooms = strings(opts.path("rooms")).stream().sorted().toList();
    return Optional.of(new ClusterBroadcast(namespace, event.name(), event.encoded().json(), event.encoded().attachments(),
        rooms, Set.copyOf(strings(opts.path("except"))), flags.path("volatile").asBoolean(false),
        flags.path("sbKeep").asBoolean(true), flags.path("sbPositioned").asBoolean(false)));
  }

  /** A server-side event from {@code data = [event, ...args]}. */
  static ClusterServerEvent serverEvent(String namespace, JsonNode data) throws IOException {
    Event event = event(data);
    return new ClusterServerEvent(namespace, event.name(), event.encoded().json(), event.encoded().attachments());
  }

  /** {@code [event, ...args]} of a server-side event, binary values written as Node's {@code Buffer.toJSON()}. */
  static ArrayNode serverEventData(ClusterServerEvent event) {
    return (ArrayNode) buffersAsJson(data(event.event(), event.argsJson(), event.attachments()));
  }

  /** The first of an answer's arguments (a Node node passes on one), null when it has none. */
  static JsonNode firstArgument(byte[] argsJson, List<byte[]> attachments) {
    try {
      ArrayNode args = Json.decodeArray(argsJson, attachments);
      return args.isEmpty() ? Json.MAPPER.nullNode() : args.get(0);
    } catch (IOException | PayloadException e) {
      throw new IllegalArgumentException("unreadable answer: " + e.getMessage(), e);
    }
  }

  /** One answer's arguments: the single value a Node node passes on. */
  static Json.Encoded answer(JsonNode value) {
    return Json.encodeArray(null, new Object[] {value});
  }

  /** A JSON request or response from {@code bytes} (JSON when it starts with '{', else notepack). */
  static JsonNode parse(byte[] bytes) throws IOException {
    JsonNode parsed = bytes.length > 0 && bytes[0] == '{' ? Json.MAPPER.readTree(bytes) : Notepack.decode(bytes);
    if (!parsed.isObject()) {
      throw new IOException("a request is an object");
    }
    return parsed;
  }

  static byte[] json(JsonNode value) {
    return Json.stringify(value).getBytes(StandardCharsets.UTF_8);
  }

  static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(item -> out.add(item.isTextual() ? item.textValue() : item.asText()));
    return List.copyOf(new LinkedHashSet<>(out));
  }

  private record Event(String name, Json.Encoded encoded) {}

  private static Event event(JsonNode data) throws IOException {
    if (!data.isArray() || data.isEmpty() || !data.get(0).isTextual()) {
      throw new IOException("an event is [name, ...args]");
    }
    Object[] args = new Object[data.size() - 1];
    for (int i = 1; i < data.size(); i++) {
      args[i - 1] = data.get(i);
    }
    return new Event(data.get(0).textValue(), Json.encodeArray(null, args));
  }

  private static JsonNode buffersAsJson(JsonNode node) {
    if (node instanceof BinaryNode binary) {
      ObjectNode buffer = Json.MAPPER.createObjectNode();
      buffer.put("type", "Buffer");
      ArrayNode bytes = buffer.putArray("data");
      for (byte b : binary.binaryValue()) {
        bytes.add(b & 0xff);
      }
      return buffer;
    }
    if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        array.set(i, buffersAsJson(array.get(i)));
      }
    } else if (node instanceof ObjectNode object) {
      object.fields().forEachRemaining(field -> field.setValue(buffersAsJson(field.getValue())));
    }
    return node;
  }
}
