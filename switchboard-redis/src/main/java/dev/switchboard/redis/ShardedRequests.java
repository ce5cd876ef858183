package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterAcks;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.cluster.LocalNode;
import dev.switchboard.http.internal.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What other nodes send on the sharded wire ({@link ShardedMessages}), run on this node and
 * answered as a Node node answers it: broadcasts (with acknowledgements: the count of sockets
 * reached, then each acknowledgement), socket operations, fetched sockets, server-side events; and
 * the answers to this node's own requests. Heartbeats and the closing notice
 * ({@code ClusterAdapterWithHeartbeat}'s) are not of this wire and are ignored, as a Node node of
 * it ignores them.
 */
final class ShardedRequests {
  private static final Logger log = LoggerFactory.getLogger(ShardedRequests.class);
  /** How long a Node node waits for acknowledgements when the broadcast does not say. */
  private static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(5);

  private final LocalNode node;
  private final String uid;
  private final PendingRequests requests;
  private final PendingAcks acks;

  ShardedRequests(LocalNode node, String uid, PendingRequests requests, PendingAcks acks) {
    this.node = node;
    this.uid = uid;
    this.requests = requests;
    this.acks = acks;
  }

  /** A message that came on a channel of {@code nsp}: its response channel, or another. */
  void received(ShardedSocketIoAdapter.Namespace nsp, boolean response, byte[] bytes) {
    try {
      JsonNode message = SocketIoMessages.parse(bytes);
      if (response) {
        receivedResponse(message);
      } else if (!uid.equals(message.path("uid").asText(null)) && nsp.name.equals(message.path("nsp").asText(null))) {
        receivedMessage(nsp, message);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("dropped a malformed message of namespace {}: {}", nsp.name, e.toString());
    }
  }

  private void receivedMessage(ShardedSocketIoAdapter.Namespace nsp, JsonNode message) throws IOException {
    JsonNode data = message.path("data");
    String from = message.path("uid").asText("");
    Optional<String> requestId = Optional.ofNullable(data.path("requestId").textValue());
    switch (message.path("type").asInt(-1)) {
      case ShardedMessages.BROADCAST -> {
        Optional<ClusterBroadcast> broadcast = ShardedMessages.broadcast(data, nsp.name);
        if (broadcast.isEmpty()) {
          return;
        }
        if (requestId.isEmpty()) {
          node.deliver(broadcast.get());
        } else {
          long wait = data.path("opts").path("flags").path("timeout").asLong(DEFAULT_ACK_TIMEOUT.toMillis());
          node.deliverWithAck(broadcast.get(), Duration.ofMillis(Math.max(1, wait)),
              broadcastAnswers(nsp, from, requestId.get()));
        }
      }
      case ShardedMessages.SOCKETS_JOIN -> node.handle(operation(ClusterRequest.Type.SOCKETS_JOIN, nsp, data));
      case ShardedMessages.SOCKETS_LEAVE -> node.handle(operation(ClusterRequest.Type.SOCKETS_LEAVE, nsp, data));
      case ShardedMessages.DISCONNECT_SOCKETS -> node.handle(operation(ClusterRequest.Type.DISCONNECT_SOCKETS, nsp, data));
      case ShardedMessages.FETCH_SOCKETS -> node.handle(operation(ClusterRequest.Type.FETCH_SOCKETS, nsp, data))
          .thenAccept(reply -> {
            ObjectNode response = ShardedMessages.response(requestId.orElse(""));
            ArrayNode sockets = response.putArray("sockets");
            reply.path("sockets").forEach(socket -> sockets.add(SocketIoSnapshots.toNode(socket)));
            nsp.respond(from, ShardedMessages.FETCH_SOCKETS_RESPONSE, response);
          });
      case ShardedMessages.SERVER_SIDE_EMIT -> {
        ClusterServerEvent event = SocketIoMessages.serverEvent(nsp.name, data.path("packet"));
        if (requestId.isEmpty()) {
          node.serverEvent(event);
        } else {
          node.serverEventWithAck(event, serverEventAnswers(nsp, from, requestId.get()));
        }
      }
      // A Node node takes a response on its namespace's channel as one on its own.
      case ShardedMessages.FETCH_SOCKETS_RESPONSE, ShardedMessages.SERVER_SIDE_EMIT_RESPONSE,
          ShardedMessages.BROADCAST_CLIENT_COUNT, ShardedMessages.BROADCAST_ACK -> receivedResponse(message);
      case ShardedMessages.INITIAL_HEARTBEAT, ShardedMessages.HEARTBEAT, ShardedMessages.ADAPTER_CLOSE -> { }
      default -> log.debug("ignored a message of unknown type {}", message.path("type"));
    }
  }

  /** The operation {@code data} asks for: sockets matching its {@code opts}, its {@code rooms} to join or leave, {@code close}. */
  private static ClusterRequest operation(ClusterRequest.Type type, ShardedSocketIoAdapter.Namespace nsp, JsonNode data) {
    JsonNode opts = data.path("opts");
    List<String> targets = type == ClusterRequest.Type.SOCKETS_JOIN || type == ClusterRequest.Type.SOCKETS_LEAVE
        ? SocketIoMessages.strings(data.path("rooms")) : List.of();
    return new ClusterRequest(type, nsp.name, Set.copyOf(SocketIoMessages.strings(opts.path("rooms"))),
        Set.copyOf(SocketIoMessages.strings(opts.path("except"))), targets, data.path("close").asBoolean(false));
  }

  private void receivedResponse(JsonNode message) {
    JsonNode data = message.path("data");
    String id = data.path("requestId").asText("");
    int type = message.path("type").asInt(-1);
    if (type == ShardedMessages.FETCH_SOCKETS_RESPONSE) {
      ObjectNode reply = Json.MAPPER.createObjectNode();
      ArrayNode sockets = reply.putArray("sockets");
      data.path("sockets").forEach(socket -> sockets.add(SocketIoSnapshots.fromNode(socket)));
      requests.reply(id, reply);
      return;
    }
    ClusterAcks answers = acks.get(id);
    if (answers == null) {
      return;
    }
    switch (type) {
      case ShardedMessages.BROADCAST_CLIENT_COUNT -> answers.reached(data.path("clientCount").asInt(0));
      case ShardedMessages.BROADCAST_ACK -> answer(answers, data.path("packet"));
      case ShardedMessages.SERVER_SIDE_EMIT_RESPONSE -> {
        answers.reached(1);
        answer(answers, data.path("packet"));
      }
      default -> log.debug("ignored a response of unknown type {}", type);
    }
  }

  private static void answer(ClusterAcks answers, JsonNode value) {
    Json.Encoded encoded = SocketIoMessages.answer(value.isMissingNode() ? Json.MAPPER.nullNode() : value);
    answers.answer(encoded.json(), encoded.attachments());
  }

  private static ClusterAcks serverEventAnswers(ShardedSocketIoAdapter.Namespace nsp, String asker, String requestId) {
    return new ClusterAcks() {
      @Override
      public void reached(int answers) {}

      @Override
      public void answer(byte[] argsJson, List<byte[]> attachments) {
        ObjectNode response = ShardedMessages.response(requestId);
        response.set("packet", SocketIoMessages.firstArgument(argsJson, attachments));
        nsp.respond(asker, ShardedMessages.SERVER_SIDE_EMIT_RESPONSE, response);
      }
    };
  }

  private static ClusterAcks broadcastAnswers(ShardedSocketIoAdapter.Namespace nsp, String asker, String requestId) {
    return new ClusterAcks() {
      @Override
      public void reached(int answers) {
        nsp.respond(asker, ShardedMessages.BROADCAST_CLIENT_COUNT, ShardedMessages.response(requestId).put("clientCount", answers));
      }

      @Override
      public void answer(byte[] argsJson, List<byte[]> attachments) {
        ObjectNode response = ShardedMessages.response(requestId);
        response.set("packet", SocketIoMessages.firstArgument(argsJson, attachments));
        nsp.respond(asker, ShardedMessages.BROADCAST_ACK, response);
      }
    };
  }
}
