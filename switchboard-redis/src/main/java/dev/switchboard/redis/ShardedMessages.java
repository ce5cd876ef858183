package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.http.internal.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The messages of the sharded Node Redis adapter ({@code createShardedAdapter} of
 * {@code @socket.io/redis-adapter} 8.x): the cluster messages of {@code socket.io-adapter}'s
 * {@code ClusterAdapter}, {@code {type, data, uid, nsp}}, written as JSON, or as notepack when
 * {@code data} holds a binary value (only the types that may: broadcast, its acknowledgement,
 * fetched sockets, server-side event and its answer). A broadcast's packet is
 * {@code {type: 2, data: [event, ...args]}}, its options {@code {rooms, except, flags}} as on the
 * classic wire ({@link SocketIoMessages#options}).
 */
final class ShardedMessages {
  static final int INITIAL_HEARTBEAT = 1;
  static final int HEARTBEAT = 2;
  static final int BROADCAST = 3;
  static final int SOCKETS_JOIN = 4;
  static final int SOCKETS_LEAVE = 5;
  static final int DISCONNECT_SOCKETS = 6;
  static final int FETCH_SOCKETS = 7;
  static final int FETCH_SOCKETS_RESPONSE = 8;
  static final int SERVER_SIDE_EMIT = 9;
  static final int SERVER_SIDE_EMIT_RESPONSE = 10;
  static final int BROADCAST_CLIENT_COUNT = 11;
  static final int BROADCAST_ACK = 12;
  static final int ADAPTER_CLOSE = 13;

  /** The packet type of an event ({@code socket.io-parser}); binary ones keep it on this wire. */
  private static final int EVENT = 2;

  private ShardedMessages() {}

  /** A message of node {@code uid} in namespace {@code nsp}: {@code {type, data, uid, nsp}}. */
  static ObjectNode message(int type, ObjectNode data, String uid, String nsp) {
    ObjectNode message = Json.MAPPER.createObjectNode();
    message.put("type", type);
    message.set("data", data);
    message.put("uid", uid);
    message.put("nsp", nsp);
    return message;
  }

  /** {@code data} of a broadcast: {@code {packet, requestId?, opts}}, the timeout among the flags when it asks for acknowledgements. */
  static ObjectNode broadcast(ClusterBroadcast broadcast, Optional<String> requestId, Optional<Duration> timeout) {
    ObjectNode data = Json.MAPPER.createObjectNode();
    ObjectNode packet = data.putObject("packet");
    packet.put("type", EVENT);
    packet.set("data", SocketIoMessages.data(broadcast.event(), broadcast.argsJson(), broadcast.attachments()));
    requestId.ifPresent(id -> data.put("requestId", id));
    data.set("opts", SocketIoMessages.options(broadcast, timeout));
    return data;
  }

  /** {@code data} of a selection of sockets: {@code {opts: {rooms, except, flags: {}}}}, more fields to add. */
  static ObjectNode selection(Set<String> rooms, Set<String> except) {
    ObjectNode data = Json.MAPPER.createObjectNode();
    ObjectNode opts = data.putObject("opts");
    rooms.forEach(opts.putArray("rooms")::add);
    except.forEach(opts.putArray("except")::add);
    opts.putObject("flags");
    return data;
  }

  /** {@code data} of a server-side event: {@code {requestId?, packet: [event, ...args]}}. */
  static ObjectNode serverSideEmit(ClusterServerEvent event, Optional<String> requestId) {
    ObjectNode data = Json.MAPPER.createObjectNode();
    requestId.ifPresent(id -> data.put("requestId", id));
    data.set("packet", SocketIoMessages.data(event.event(), event.argsJson(), event.attachments()));
    return data;
  }

  /** {@code data} of a response: {@code {requestId}}, more fields to add. */
  static ObjectNode response(String requestId) {
    ObjectNode data = Json.MAPPER.createObjectNode();
    data.put("requestId", requestId);
    return data;
  }

  /** The bytes of {@code message}: notepack when its data holds a binary value, JSON otherwise. */
  static byte[] encode(ObjectNode message) {
    boolean mayContainBinary = switch (message.path("type").asInt()) {
      case BROADCAST, BROADCAST_ACK, FETCH_SOCKETS_RESPONSE, SERVER_SIDE_EMIT, SERVER_SIDE_EMIT_RESPONSE -> true;
      default -> false;
    };
    return mayContainBinary && hasBinary(message.path("data")) ? Notepack.encode(message) : SocketIoMessages.json(message);
  }

  /** The broadcast in a broadcast's {@code data}; empty when it is not an event. */
  static Optional<ClusterBroadcast> broadcast(JsonNode data, String namespace) throws java.io.IOException {
    return SocketIoMessages.fromPacket(data.path("packet"), data.path("opts"), namespace);
  }

  private static boolean hasBinary(JsonNode node) {
    if (node instanceof BinaryNode) {
      return true;
    }
    for (JsonNode child : node) {
      if (hasBinary(child)) {
        return true;
      }
    }
    return false;
  }
}
