package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterAcks;
import dev.switchboard.cluster.ClusterAdapter;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.cluster.LocalNode;
import dev.switchboard.http.internal.Json;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries broadcasts and server-side operations in the wire format of the Node Redis adapter
 * ({@code @socket.io/redis-adapter} 8.x, {@link SocketIoMessages}), so that this node is one
 * member of a cluster of Node Socket.IO servers, and hears the Node emitter.
 *
 * <p>Per namespace, as a Node node: broadcasts go to {@code <key>#<nsp>#}, or
 * {@code <key>#<nsp>#<room>#} for one room, and every node hears all of them through the pattern
 * {@code <key>#<nsp>#*}; requests go to {@code <key>-request#<nsp>#} and answers to
 * {@code <key>-response#<nsp>#} (or the asker's own {@code <key>-response#<nsp>#<uid>#}). The
 * nodes of a namespace are the subscribers of its request channel ({@code PUBSUB NUMSUB}). This
 * node listens to {@code /} from the start and to each other namespace from its first member on.
 * Everything comes in on one connection of its own, in the order Redis sent it.
 */
final class SocketIoAdapter implements SocketIoWireAdapter {
  private static final Logger log = LoggerFactory.getLogger(SocketIoAdapter.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** How long a Node node waits for acknowledgements when the broadcast does not say. */
  private static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(5);

  private final RedisConnections redis;
  private final String key;
  private final String uid;
  private final PendingRequests requests;
  private final PendingAcks acks;
  private final ConcurrentHashMap<String, Namespace> namespaces = new ConcurrentHashMap<>();
  /** Channel (or pattern) name to the namespace it belongs to. */
  private final ConcurrentHashMap<String, Namespace> byChannel = new ConcurrentHashMap<>();
  private volatile StatefulRedisPubSubConnection<byte[], byte[]> subscriber;
  private volatile LocalNode node;

  /** One namespace's channels, and whether Redis confirmed their subscriptions. */
  private final class Namespace {
    final String name;
    final String broadcastChannel;
    final String requestChannel;
    final String responseChannel;
    final String ownResponseChannel;
    final CompletableFuture<Void> subscribed;

    Namespace(String name) {
      this.name = name;
      this.broadcastChannel = key + "#" + name + "#";
      this.requestChannel = key + "-request#" + name + "#";
      this.responseChannel = key + "-response#" + name + "#";
      this.ownResponseChannel = responseChannel + uid + "#";
      byChannel.put(broadcastChannel + "*", this);
      byChannel.put(requestChannel, this);
      byChannel.put(responseChannel, this);
      byChannel.put(ownResponseChannel, this);
      this.subscribed = subscriber.async().psubscribe(bytes(broadcastChannel + "*")).toCompletableFuture()
          .thenCompose(ok -> subscriber.async().subscribe(bytes(requestChannel), bytes(responseChannel),
              bytes(ownResponseChannel)).toCompletableFuture());
      subscribed.whenComplete((ok, error) -> {
        if (error != null) {
          log.warn("cannot subscribe the channels of namespace {}: {}", name, error.toString());
        }
      });
    }
  }

  SocketIoAdapter(RedisConnections redis, String key) {
    this.redis = redis;
    this.key = key;
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    this.uid = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    this.requests = new PendingRequests(uid, redis.timer());
    this.acks = new PendingAcks(uid, redis.timer());
  }

  /** This node's id on the wire. */
  String uid() {
    return uid;
  }

  @Override
  public void start(LocalNode localNode) {
    if (node != null) {
      throw new IllegalStateException("a Redis cluster serves one server");
    }
    node = localNode;
    subscriber = redis.connectPubSub(ByteArrayCodec.INSTANCE);
    subscriber.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(byte[] pattern, byte[] channel, byte[] message) {
        receivedBroadcast(text(pattern), text(channel), message);
      }

      @Override
      public void message(byte[] channel, byte[] message) {
        receivedRequest(text(channel), message);
      }
    });
    namespace("/");
  }

  @Override
  public void close() {
    if (subscriber != null) {
      subscriber.close();
    }
  }

  private Namespace namespace(String name) {
    return namespaces.computeIfAbsent(name, Namespace::new);
  }

  @Override
  public void publish(ClusterBroadcast broadcast) {
    namespace(broadcast.namespace());
    byte[] message = SocketIoMessages.broadcast(uid, broadcast);
    redis.publish(bytes(SocketIoMessages.channel(key, broadcast)), message).whenComplete((receivers, error) -> {
      if (error != null) {
        redis.health().lostBroadcast();
      }
    });
  }

  /** Every node hears every broadcast of a namespace it listens to: a room needs no subscription of its own. */
  @Override
  public void roomActive(String namespace, String room) {
    namespace(namespace);
  }

  @Override
  public CompletableFuture<Void> listening(String namespace, String room) {
    return namespace(namespace).subscribed;
  }

  @Override
  public void roomInactive(String namespace, String room) {}

  @Override
  public CompletableFuture<List<JsonNode>> request(ClusterRequest request, Duration timeout) {
    Namespace nsp = namespace(request.namespace());
    if (request.type() == ClusterRequest.Type.FETCH_SOCKETS) {
      PendingRequests.Pending pending = requests.open(timeout);
      ObjectNode message = SocketIoMessages.request(uid, Optional.of(pending.id), SocketIoMessages.REMOTE_FETCH,
          request.rooms(), request.except());
      toOtherNodes(nsp, SocketIoMessages.json(message)).thenAccept(pending::expect);
      return pending.result;
    }
    ObjectNode message = switch (request.type()) {
      case SOCKETS_JOIN, SOCKETS_LEAVE -> {
        int type = request.type() == ClusterRequest.Type.SOCKETS_JOIN ? SocketIoMessages.REMOTE_JOIN : SocketIoMessages.REMOTE_LEAVE;
        ObjectNode joinOrLeave = SocketIoMessages.request(uid, Optional.empty(), type, request.rooms(), request.except());
        request.targetRooms().forEach(joinOrLeave.putArray("rooms")::add);
        yield joinOrLeave;
      }
      default -> SocketIoMessages.request(uid, Optional.empty(), SocketIoMessages.REMOTE_DISCONNECT, request.rooms(),
          request.except()).put("close", request.close());
    };
    // The Node adapter answers none of these: done once Redis took it.
    return redis.publish(bytes(nsp.requestChannel), SocketIoMessages.json(message))
        .handle((sent, error) -> List.of());
  }

  @Override
  public CompletableFuture<Integer> publishWithAck(ClusterBroadcast broadcast, Duration timeout, ClusterAcks answers) {
    Namespace nsp = namespace(broadcast.namespace());
    String id = acks.open(answers, timeout);
    return toOtherNodes(nsp, SocketIoMessages.ackedBroadcast(uid, id, broadcast, timeout));
  }

  @Override
  public void serverEvent(ClusterServerEvent event) {
    Namespace nsp = namespace(event.namespace());
    ObjectNode message = SocketIoMessages.serverSideEmit(uid, Optional.empty(), event);
    redis.publish(bytes(nsp.requestChannel), SocketIoMessages.json(message));
  }

  @Override
  public CompletableFuture<Integer> serverEventWithAck(ClusterServerEvent event, Duration timeout, ClusterAcks answers) {
    Namespace nsp = namespace(event.namespace());
    String id = acks.open(answers, timeout);
    ObjectNode message = SocketIoMessages.serverSideEmit(uid, Optional.of(id), event);
    return toOtherNodes(nsp, SocketIoMessages.json(message));
  }

  /**
   * Publishes on the request channel once this node hears the answers; completes with how many
   * other nodes got it, 0 when it could not be sent.
   */
  private CompletableFuture<Integer> toOtherNodes(Namespace nsp, byte[] message) {
    return nsp.subscribed.thenCompose(ok -> otherNodes(nsp)
            .thenCombine(redis.publish(bytes(nsp.requestChannel), message), (others, sent) -> others))
        .exceptionally(error -> 0);
  }

  /** The nodes of {@code nsp} but this one: subscribers of its request channel, as Node counts them. */
  private CompletableFuture<Integer> otherNodes(Namespace nsp) {
    return redis.<java.util.Map<byte[], Long>>send(c -> c.pubsubNumsub(bytes(nsp.requestChannel)))
        .thenApply(counts -> (int) Math.max(0, counts.values().stream().mapToLong(Long::longValue).sum() - 1));
  }

  long timedOutRequests() {
    return requests.timedOut();
  }

  private void receivedBroadcast(String pattern, String channel, byte[] message) {
    Namespace nsp = byChannel.get(pattern);
    if (nsp == null) {
      return;
    }
    try {
      Optional<SocketIoMessages.Broadcast> broadcast = SocketIoMessages.broadcast(message, nsp.name);
      if (broadcast.isPresent() && !broadcast.get().uid().equals(uid)) {
        node.deliver(broadcast.get().message());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("dropped a malformed broadcast on {}: {}", channel, e.toString());
    }
  }

  private void receivedRequest(String channel, byte[] bytes) {
    Namespace nsp = byChannel.get(channel);
    if (nsp == null) {
      return;
    }
    try {
      JsonNode message = SocketIoMessages.parse(bytes);
      if (channel.equals(nsp.requestChannel)) {
        if (!uid.equals(message.path("uid").asText(null))) {
          answer(nsp, message);
        }
      } else {
        receivedResponse(message);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("dropped a malformed request or response on {}: {}", channel, e.toString());
    }
  }

  private void receivedResponse(JsonNode message) {
    String id = message.path("requestId").asText("");
    ClusterAcks answers = acks.get(id);
    if (answers != null) {
      switch (message.path("type").asInt(-1)) {
        case SocketIoMessages.BROADCAST_CLIENT_COUNT -> answers.reached(message.path("clientCount").asInt(0));
        case SocketIoMessages.BROADCAST_ACK -> answer(answers, message.path("packet"));
        case SocketIoMessages.SERVER_SIDE_EMIT -> {
          answers.reached(1);
          answer(answers, message.path("data"));
        }
        default -> { }
      }
      return;
    }
    if (message.path("sockets").isArray()) {
      ObjectNode reply = Json.MAPPER.createObjectNode();
      ArrayNode sockets = reply.putArray("sockets");
      message.get("sockets").forEach(socket -> sockets.add(SocketIoSnapshots.fromNode(socket)));
      requests.reply(id, reply);
    }
  }

  private static void answer(ClusterAcks answers, JsonNode value) {
    Json.Encoded encoded = SocketIoMessages.answer(value.isMissingNode() ? Json.MAPPER.nullNode() : value);
    answers.answer(encoded.json(), encoded.attachments());
  }

  /** Runs another node's request here and answers it as a Node node would. */
  private void answer(Namespace nsp, JsonNode request) throws IOException {
    String requestId = request.path("requestId").asText(null);
    JsonNode opts = request.path("opts");
    Set<String> rooms = Set.copyOf(SocketIoMessages.strings(opts.path("rooms")));
    Set<String> except = Set.copyOf(SocketIoMessages.strings(opts.path("except")));
    switch (request.path("type").asInt(-1)) {
      case SocketIoMessages.SOCKETS -> {
        ClusterRequest fetch = new ClusterRequest(ClusterRequest.Type.FETCH_SOCKETS, nsp.name,
            Set.copyOf(SocketIoMessages.strings(request.path("rooms"))), Set.of(), List.of(), false);
        node.handle(fetch).thenAccept(reply -> {
          ObjectNode response = SocketIoMessages.response(requestId);
          ArrayNode ids = response.putArray("sockets");
          reply.path("sockets").forEach(socket -> ids.add(socket.path("id").asText()));
          respond(nsp, response);
        });
      }
      case SocketIoMessages.ALL_ROOMS -> {
        // Every room with a member here, each socket's own included, as a Node node lists them.
        ClusterRequest all = new ClusterRequest(ClusterRequest.Type.FETCH_SOCKETS, nsp.name, Set.of(), Set.of(), List.of(), false);
        node.handle(all).thenAccept(reply -> {
          Set<String> found = new LinkedHashSet<>();
          reply.path("sockets").forEach(socket -> socket.path("rooms").forEach(room -> found.add(room.asText())));
          ObjectNode response = SocketIoMessages.response(requestId);
          found.forEach(response.putArray("rooms")::add);
          respond(nsp, response);
        });
      }
      case SocketIoMessages.REMOTE_JOIN, SocketIoMessages.REMOTE_LEAVE, SocketIoMessages.REMOTE_DISCONNECT ->
          operate(nsp, request, rooms, except);
      case SocketIoMessages.REMOTE_FETCH -> {
        ClusterRequest fetch = new ClusterRequest(ClusterRequest.Type.FETCH_SOCKETS, nsp.name, rooms, except, List.of(), false);
        node.handle(fetch).thenAccept(reply -> {
          ObjectNode response = SocketIoMessages.response(requestId);
          ArrayNode sockets = response.putArray("sockets");
          reply.path("sockets").forEach(socket -> sockets.add(SocketIoSnapshots.toNode(socket)));
          respond(nsp, response);
        });
      }
      case SocketIoMessages.SERVER_SIDE_EMIT -> {
        ClusterServerEvent event = SocketIoMessages.serverEvent(nsp.name, request.path("data"));
        if (requestId == null) {
          node.serverEvent(event);
        } else {
          node.serverEventWithAck(event, serverEventAnswers(nsp, requestId));
        }
      }
      case SocketIoMessages.BROADCAST -> {
        Optional<ClusterBroadcast> broadcast = SocketIoMessages.fromPacket(request.path("packet"), opts, nsp.name);
        if (broadcast.isPresent() && requestId != null) {
          long wait = opts.path("flags").path("timeout").asLong(DEFAULT_ACK_TIMEOUT.toMillis());
          node.deliverWithAck(broadcast.get(), Duration.ofMillis(Math.max(1, wait)), broadcastAnswers(nsp, request));
        }
      }
      default -> log.debug("ignored a request of unknown type {}", request.path("type"));
    }
  }

  /**
   * Joins, leaves or disconnects sockets: every socket matching {@code opts}, unanswered; or, in the
   * older form naming one socket ({@code sid}), that socket, answered when it is on this node.
   */
  private void operate(Namespace nsp, JsonNode request, Set<String> rooms, Set<String> except) {
    int type = request.path("type").asInt();
    boolean single = !request.has("opts") && request.hasNonNull("sid");
    Set<String> selection = single ? Set.of(request.get("sid").asText()) : rooms;
    List<String> targets = single ? List.of(request.path("room").asText())
        : SocketIoMessages.strings(request.path("rooms"));
    ClusterRequest.Type what = switch (type) {
      case SocketIoMessages.REMOTE_JOIN -> ClusterRequest.Type.SOCKETS_JOIN;
      case SocketIoMessages.REMOTE_LEAVE -> ClusterRequest.Type.SOCKETS_LEAVE;
      default -> ClusterRequest.Type.DISCONNECT_SOCKETS;
    };
    ClusterRequest operation = new ClusterRequest(what, nsp.name, selection, single ? Set.of() : except,
        what == ClusterRequest.Type.DISCONNECT_SOCKETS ? List.of() : targets, request.path("close").asBoolean(false));
    node.handle(operation).thenAccept(reply -> {
      if (single && reply.path("count").asInt(0) > 0) {
        respond(nsp, SocketIoMessages.response(request.path("requestId").asText("")));
      }
    });
  }

  private ClusterAcks serverEventAnswers(Namespace nsp, String requestId) {
    return new ClusterAcks() {
      @Override
      public void reached(int answers) {}

      @Override
      public void answer(byte[] argsJson, List<byte[]> attachments) {
        ObjectNode response = SocketIoMessages.response(SocketIoMessages.SERVER_SIDE_EMIT, requestId);
        response.set("data", SocketIoMessages.firstArgument(argsJson, attachments));
        // A Node node answers these on the namespace's shared response channel.
        redis.publish(bytes(nsp.responseChannel), SocketIoMessages.json(response));
      }
    };
  }

  private ClusterAcks broadcastAnswers(Namespace nsp, JsonNode request) {
    String requestId = request.get("requestId").asText();
    return new ClusterAcks() {
      @Override
      public void reached(int answers) {
        ObjectNode response = SocketIoMessages.response(SocketIoMessages.BROADCAST_CLIENT_COUNT, requestId);
        response.put("clientCount", answers);
        respond(nsp, response);
      }

      @Override
      public void answer(byte[] argsJson, List<byte[]> attachments) {
        redis.publish(bytes(nsp.responseChannel), SocketIoMessages.broadcastAck(requestId, argsJson, attachments));
      }
    };
  }

  /** Publishes a JSON response where every Node asker hears it: the namespace's shared response channel. */
  private void respond(Namespace nsp, ObjectNode response) {
    redis.publish(bytes(nsp.responseChannel), SocketIoMessages.json(response));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
