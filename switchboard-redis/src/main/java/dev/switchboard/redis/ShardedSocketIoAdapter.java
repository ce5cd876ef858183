package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterAcks;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.cluster.LocalNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries broadcasts and server-side operations in the format of the sharded Node Redis adapter
 * ({@code createShardedAdapter}, {@link ShardedMessages}) over sharded pub/sub, so that this node
 * is one member of a cluster of Node Socket.IO servers using it, on one Redis server or a Redis
 * Cluster.
 *
 * <p>Per namespace, as a Node node, this node subscribes the channel where messages go and its
 * own where the answers to its requests come, and, in the dynamic subscription mode, the channel of
 * each room with members here ({@link ShardedChannels}). The nodes of a namespace are the
 * subscribers of its channel ({@code PUBSUB SHARDNUMSUB}, as Node counts them): there is no
 * heartbeat on this wire. This node listens to {@code /} from the start and to each other namespace
 * from its first use. What other nodes send is answered by {@link ShardedRequests}.
 */
final class ShardedSocketIoAdapter implements SocketIoWireAdapter {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RedisConnections redis;
  private final PubSub pubsub;
  private final ShardedChannels channels;
  private final String uid;
  private final PendingRequests requests;
  private final PendingAcks acks;
  private final ConcurrentHashMap<String, Namespace> namespaces = new ConcurrentHashMap<>();
  /** Channel name to the namespace it belongs to. */
  private final ConcurrentHashMap<String, Namespace> byChannel = new ConcurrentHashMap<>();
  /** Room channel name to its subscription. */
  private final ConcurrentHashMap<String, CompletableFuture<Void>> roomChannels = new ConcurrentHashMap<>();
  private volatile ShardedRequests answers;

  /** One namespace's channels, and whether Redis confirmed their subscriptions. */
  final class Namespace {
    final String name;
    final String channel;
    final String responseChannel;
    final CompletableFuture<Void> subscribed;

    private Namespace(String name) {
      this.name = name;
      this.channel = channels.namespace(name);
      this.responseChannel = channels.responses(name, uid);
      byChannel.put(channel, this);
      byChannel.put(responseChannel, this);
      this.subscribed = pubsub.subscribe(List.of(bytes(channel), bytes(responseChannel)));
    }

    String roomChannel(String room) {
      return channels.room(name, room);
    }

    /** Publishes a message of this node to channel {@code to}. */
    CompletableFuture<Long> publish(String to, int type, ObjectNode data) {
      return redis.publishToShard(bytes(to), ShardedMessages.encode(ShardedMessages.message(type, data, uid, name)));
    }

    /** Publishes a response to node {@code requester}'s own channel. */
    void respond(String requester, int type, ObjectNode data) {
      publish(channels.responses(name, requester), type, data);
    }
  }

  ShardedSocketIoAdapter(RedisConnections redis, PubSub pubsub, RedisWire.SocketIoSharded wire) {
    this.redis = redis;
    this.pubsub = pubsub;
    this.channels = new ShardedChannels(wire.key(), wire.subscriptionMode());
    byte[] random = new byte[8];
    RANDOM.nextBytes(random);
    this.uid = HexFormat.of().formatHex(random);
    this.requests = new PendingRequests(uid, redis.timer());
    this.acks = new PendingAcks(uid, redis.timer());
  }

  @Override
  public void start(LocalNode node) {
    if (answers != null) {
      throw new IllegalStateException("a Redis cluster serves one server");
    }
    answers = new ShardedRequests(node, uid, requests, acks);
    pubsub.onMessage(this::received);
    namespace("/");
  }

  @Override
  public void close() {
    List.copyOf(byChannel.keySet()).forEach(channel -> pubsub.unsubscribe(bytes(channel)));
  }

  private Namespace namespace(String name) {
    return namespaces.computeIfAbsent(name, Namespace::new);
  }

  @Override
  public void publish(ClusterBroadcast broadcast) {
    Namespace nsp = namespace(broadcast.namespace());
    nsp.publish(channels.broadcast(broadcast), ShardedMessages.BROADCAST, ShardedMessages.broadcast(broadcast, Optional.empty(), Optional.empty()))
        .whenComplete((receivers, error) -> {
          if (error != null) {
            redis.health().lostBroadcast();
          }
        });
  }

  @Override
  public void roomActive(String namespace, String room) {
    Namespace nsp = namespace(namespace);
    if (channels.hasRoomChannel(room)) {
      String channel = nsp.roomChannel(room);
      byChannel.put(channel, nsp);
      roomChannels.put(channel, pubsub.subscribe(List.of(bytes(channel))));
    }
  }

  @Override
  public CompletableFuture<Void> listening(String namespace, String room) {
    Namespace nsp = namespace(namespace);
    CompletableFuture<Void> roomChannel = roomChannels.get(nsp.roomChannel(room));
    return roomChannel == null ? nsp.subscribed : CompletableFuture.allOf(nsp.subscribed, roomChannel);
  }

  @Override
  public void roomInactive(String namespace, String room) {
    if (channels.hasRoomChannel(room)) {
      String channel = namespace(namespace).roomChannel(room);
      if (roomChannels.remove(channel) != null) {
        byChannel.remove(channel);
        pubsub.unsubscribe(bytes(channel));
      }
    }
  }

  @Override
  public CompletableFuture<List<JsonNode>> request(ClusterRequest request, Duration timeout) {
    Namespace nsp = namespace(request.namespace());
    ObjectNode data = ShardedMessages.selection(request.rooms(), request.except());
    return switch (request.type()) {
      case FETCH_SOCKETS -> {
        PendingRequests.Pending pending = requests.open(timeout);
        data.put("requestId", pending.id);
        toOtherNodes(nsp, ShardedMessages.FETCH_SOCKETS, data).thenAccept(pending::expect);
        yield pending.result;
      }
      case SOCKETS_JOIN, SOCKETS_LEAVE -> {
        request.targetRooms().forEach(data.putArray("rooms")::add);
        yield done(nsp.publish(nsp.channel, request.type() == ClusterRequest.Type.SOCKETS_JOIN
            ? ShardedMessages.SOCKETS_JOIN : ShardedMessages.SOCKETS_LEAVE, data));
      }
      case DISCONNECT_SOCKETS -> done(nsp.publish(nsp.channel, ShardedMessages.DISCONNECT_SOCKETS,
          data.put("close", request.close())));
    };
  }

  /** The Node adapter answers none of these: done once Redis took it. */
  private static CompletableFuture<List<JsonNode>> done(CompletableFuture<Long> published) {
    return published.handle((sent, error) -> List.of());
  }

  @Override
  public CompletableFuture<Integer> publishWithAck(ClusterBroadcast broadcast, Duration timeout, ClusterAcks answers) {
    String id = acks.open(answers, timeout);
    return toOtherNodes(namespace(broadcast.namespace()), ShardedMessages.BROADCAST,
        ShardedMessages.broadcast(broadcast, Optional.of(id), Optional.of(timeout)));
  }

  @Override
  public void serverEvent(ClusterServerEvent event) {
    Namespace nsp = namespace(event.namespace());
    nsp.publish(nsp.channel, ShardedMessages.SERVER_SIDE_EMIT, ShardedMessages.serverSideEmit(event, Optional.empty()));
  }

  @Override
  public CompletableFuture<Integer> serverEventWithAck(ClusterServerEvent event, Duration timeout, ClusterAcks answers) {
    String id = acks.open(answers, timeout);
    return toOtherNodes(namespace(event.namespace()), ShardedMessages.SERVER_SIDE_EMIT,
        ShardedMessages.serverSideEmit(event, Optional.of(id)));
  }

  /**
   * Publishes on the namespace's channel once this node is subscribed to it (and so counted);
   * completes with how many other nodes got it, 0 when it could not be sent.
   */
  private CompletableFuture<Integer> toOtherNodes(Namespace nsp, int type, ObjectNode data) {
    return nsp.subscribed.thenCompose(ok -> otherNodes(nsp)
            .thenCombine(nsp.publish(nsp.channel, type, data), (others, sent) -> others))
        .exceptionally(error -> 0);
  }

  /** The nodes of {@code nsp} but this one: the subscribers of its channel, as Node counts them. */
  private CompletableFuture<Integer> otherNodes(Namespace nsp) {
    return redis.<Map<byte[], Long>>send(c -> c.pubsubShardNumsub(bytes(nsp.channel)))
        .thenApply(counts -> (int) Math.max(0, counts.values().stream().mapToLong(Long::longValue).sum() - 1));
  }

  private void received(byte[] channel, byte[] message) {
    String name = new String(channel, StandardCharsets.UTF_8);
    Namespace nsp = byChannel.get(name);
    if (nsp != null) {
      answers.received(nsp, name.equals(nsp.responseChannel), message);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
