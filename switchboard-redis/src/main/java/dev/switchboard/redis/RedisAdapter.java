package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.ClusterAcks;
import dev.switchboard.cluster.ClusterAdapter;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.cluster.LocalNode;
import dev.switchboard.cluster.Stamp;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries broadcasts and server-side operations between nodes over Redis pub/sub.
 *
 * <p>A broadcast to rooms is published once to each room's channel; a node subscribes only the
 * channels of rooms it has members in. A node that receives it through the channel of the i-th
 * room (rooms in a stable order) delivers it to that room's members except those in an earlier
 * room, so a member of several rooms gets it once. Broadcasts to a whole namespace, or to a
 * socket's own room, go through the channel every node listens to. A node ignores its own
 * messages. Requests go to the request channel; each node answers on the asking node's channel,
 * and the asker waits for as many replies as there are live nodes (heartbeats), up to a timeout.
 * Broadcasts that ask for acknowledgements and server-side events go through the request channel
 * too, so every node reports how many answers it will give, then sends each on the asker's channel.
 */
final class RedisAdapter implements ClusterAdapter {
  private static final Logger log = LoggerFactory.getLogger(RedisAdapter.class);

  private final String nodeId;
  private final RedisConnections redis;
  private final Keys keys;
  private final NodeHeartbeat heartbeat;
  private final RoomSubscriptions subscriptions;
  private final PendingRequests requests;
  private final PendingAcks acks;
  private final OwnBroadcasts own = new OwnBroadcasts();
  private final byte[] allChannel;
  private final byte[] requestChannel;
  private final byte[] nodeChannel;
  private volatile LocalNode node;

  RedisAdapter(String nodeId, RedisConnections redis, Keys keys, NodeHeartbeat heartbeat) {
    this.nodeId = nodeId;
    this.redis = redis;
    this.keys = keys;
    this.heartbeat = heartbeat;
    this.allChannel = keys.allChannel();
    this.requestChannel = keys.requestChannel();
    this.nodeChannel = keys.nodeChannel(nodeId);
    this.subscriptions = new RoomSubscriptions(redis.pubsub(), redis.health(), keys,
        List.of(allChannel, requestChannel, nodeChannel));
    this.requests = new PendingRequests(nodeId, redis.timer());
    this.acks = new PendingAcks(nodeId, redis.timer());
    redis.every(Duration.ofSeconds(10), own::expire);
  }

  @Override
  public void start(LocalNode localNode) {
    if (node != null) {
      throw new IllegalStateException("a Redis cluster serves one server");
    }
    node = localNode;
    redis.pubsub().onMessage(this::received);
    subscriptions.start();
    redis.onReconnect(subscriptions::restore);
    redis.onLost(subscriptions::lost);
  }

  @Override
  public void publish(ClusterBroadcast broadcast) {
    byte[] message = Messages.broadcast(nodeId, broadcast);
    if (broadcast.rooms().isEmpty() || broadcast.rooms().stream().anyMatch(Keys::isPrivate)) {
      redis.publish(allChannel, message).whenComplete(this::countLoss);
      return;
    }
    for (String room : broadcast.rooms()) {
      byte[] channel = keys.roomChannel(broadcast.namespace(), room);
      redis.publish(channel, message).whenComplete(this::countLoss);
    }
  }

  private void countLoss(Long receivers, Throwable error) {
    if (error != null) {
      redis.health().lostBroadcast();
    }
  }

  /** This node's kept broadcasts on their way through Redis. */
  OwnBroadcasts own() {
    return own;
  }

  /**
   * The channels a kept broadcast is published to: this node's own for a packet to one of its
   * sockets, else as {@link #publish} does.
   */
  List<byte[]> channels(ClusterBroadcast broadcast, boolean thisNodeOnly) {
    if (thisNodeOnly) {
      return List.of(nodeChannel);
    }
    if (carriedWhole(broadcast, false)) {
      return List.of(allChannel);
    }
    return broadcast.rooms().stream().map(room -> keys.roomChannel(broadcast.namespace(), room)).toList();
  }

  /**
   * Indexes of the target rooms whose channel this node does not yet hear: its members there get
   * the broadcast from the publish's reply, not from the channel.
   */
  Set<Integer> notHeard(ClusterBroadcast broadcast, boolean thisNodeOnly) {
    if (carriedWhole(broadcast, thisNodeOnly)) {
      return Set.of();
    }
    Set<Integer> indexes = new HashSet<>();
    for (int i = 0; i < broadcast.rooms().size(); i++) {
      if (!subscriptions.listening(broadcast.namespace(), broadcast.rooms().get(i))) {
        indexes.add(i);
      }
    }
    return indexes;
  }

  /**
   * Whether a kept broadcast travels whole on one channel (this node's, or the all-nodes one)
   * rather than once per room.
   */
  static boolean carriedWhole(ClusterBroadcast broadcast, boolean thisNodeOnly) {
    return thisNodeOnly || broadcast.rooms().isEmpty() || broadcast.rooms().stream().anyMatch(Keys::isPrivate);
  }

  /** Changes each time this node's subscriptions may have been lost ({@link RoomSubscriptions#generation}). */
  long subscriptionGeneration() {
    return subscriptions.generation();
  }

  /**
   * Delivers to this node's members a kept broadcast that Redis took but whose copy for
   * {@code index} (of a room, or {@link OwnBroadcasts#WHOLE}) may never come back, its
   * subscription having been lost meanwhile, unless that copy came already; a copy coming later
   * is dropped. {@code indexes} are the rooms the copy is for; none for the whole broadcast.
   */
  void deliverUnlessHeard(ClusterBroadcast broadcast, Stamp stamp, long sequence, int index, Set<Integer> indexes) {
    if (own.giveUp(sequence, index).isPresent()) {
      return;
    }
    if (indexes.isEmpty()) {
      node.deliver(broadcast, stamp);
    } else {
      deliverHere(broadcast, stamp, indexes);
    }
  }

  /** Delivers a stamped broadcast to this node's members of the rooms at {@code indexes}. */
  void deliverHere(ClusterBroadcast broadcast, Stamp stamp, Set<Integer> indexes) {
    for (int index : indexes) {
      node.deliver(narrowed(broadcast, index), stamp);
    }
  }

  @Override
  public void roomActive(String namespace, String room) {
    if (!Keys.isPrivate(room)) {
      subscriptions.add(namespace, room);
    }
  }

  @Override
  public CompletableFuture<Void> listening(String namespace, String room) {
    return Keys.isPrivate(room) ? CompletableFuture.completedFuture(null) : subscriptions.whenListening(namespace, room);
  }

  @Override
  public void roomInactive(String namespace, String room) {
    if (!Keys.isPrivate(room)) {
      subscriptions.remove(namespace, room);
    }
  }

  @Override
  public CompletableFuture<List<JsonNode>> request(ClusterRequest request, Duration timeout) {
    PendingRequests.Pending pending = requests.open(timeout);
    byte[] message = Messages.request(pending.id, nodeId, request);
    heartbeat.alive()
        .thenCompose(alive -> redis.publish(requestChannel, message)
            .thenApply(receivers -> Math.min(alive, receivers) - 1))
        .whenComplete((others, error) -> {
          if (error != null) {
            pending.finish();
          } else {
            pending.expect(others.intValue());
          }
        });
    return pending.result;
  }

  @Override
  public CompletableFuture<Integer> publishWithAck(ClusterBroadcast broadcast, Duration timeout, ClusterAcks answers) {
    String id = acks.open(answers, timeout);
    return publishToOthers(Messages.ackedBroadcast(id, nodeId, timeout, broadcast));
  }

  @Override
  public void serverEvent(ClusterServerEvent event) {
    byte[] message = Messages.serverEvent(null, nodeId, Duration.ZERO, event);
    redis.publish(requestChannel, message);
  }

  @Override
  public CompletableFuture<Integer> serverEventWithAck(ClusterServerEvent event, Duration timeout, ClusterAcks answers) {
    String id = acks.open(answers, timeout);
    return publishToOthers(Messages.serverEvent(id, nodeId, timeout, event));
  }

  /**
   * Publishes {@code message} on the request channel; completes with how many other live nodes
   * got it, 0 when it could not be published.
   */
  private CompletableFuture<Integer> publishToOthers(byte[] message) {
    CompletableFuture<Long> alive = heartbeat.alive();
    CompletableFuture<Long> receivers = redis.publish(requestChannel, message);
    return alive.thenCombine(receivers, (nodes, got) -> (int) Math.max(0, Math.min(nodes, got) - 1))
        .exceptionally(error -> 0);
  }

  /** Channels of rooms this node has members in. */
  int subscribedRooms() {
    return subscriptions.size();
  }

  long timedOutRequests() {
    return requests.timedOut();
  }

  private void received(byte[] channel, byte[] message) {
    try {
      if (Messages.isStamped(message)) {
        receivedStamped(channel, Messages.stamped(message));
      } else if (Arrays.equals(channel, requestChannel)) {
        received(Messages.toAll(message));
      } else if (Arrays.equals(channel, nodeChannel)) {
        received(Messages.toNode(message));
      } else if (Arrays.equals(channel, allChannel)) {
        Messages.Broadcast broadcast = Messages.broadcast(message);
        if (!broadcast.origin().equals(nodeId)) {
          node.deliver(broadcast.message());
        }
      } else {
        RoomSubscriptions.Room room = subscriptions.roomOf(channel);
        if (room != null) {
          deliverRoom(room, Messages.broadcast(message));
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("dropped a malformed or undeliverable cluster message: {}", e.toString());
    }
  }

  /**
   * A kept broadcast, this node's own included: all arrive on the one subscription connection in
   * the order the streams gave them.
   */
  private void receivedStamped(byte[] channel, Messages.Stamped stamped) {
    ClusterBroadcast message = stamped.broadcast().message();
    boolean mine = stamped.broadcast().origin().equals(nodeId);
    if (Arrays.equals(channel, allChannel) || Arrays.equals(channel, nodeChannel)) {
      if (!mine || own.heard(stamped.sequence(), OwnBroadcasts.WHOLE, stamped.stamp())) {
        node.deliver(message, stamped.stamp());
      }
      return;
    }
    RoomSubscriptions.Room room = subscriptions.roomOf(channel);
    if (room == null || !message.namespace().equals(room.namespace())) {
      return;
    }
    int index = message.rooms().indexOf(room.room());
    if (index < 0 || mine && stamped.selfDelivered().contains(index)) {
      return;
    }
    if (!mine || own.heard(stamped.sequence(), redis.sharded() ? index : OwnBroadcasts.WHOLE, stamped.stamp())) {
      node.deliver(narrowed(message, index), stamped.stamp());
    }
  }

  /** The broadcast for the members of its {@code index}-th room that are in no earlier one. */
  private static ClusterBroadcast narrowed(ClusterBroadcast message, int index) {
    Set<String> except = message.except();
    if (index > 0) {
      except = new HashSet<>(except);
      except.addAll(message.rooms().subList(0, index));
    }
    return message.narrowed(List.of(message.rooms().get(index)), except);
  }

  private void received(Messages.ToAll message) {
    if (message.origin().equals(nodeId)) {
      return;
    }
    switch (message) {
      case Messages.Request request -> answer(request);
      case Messages.AckedBroadcast broadcast ->
          node.deliverWithAck(broadcast.message(), broadcast.timeout(), replies(broadcast.id(), broadcast.origin()));
      case Messages.ServerEvent event when event.id() == null -> node.serverEvent(event.event());
      case Messages.ServerEvent event -> node.serverEventWithAck(event.event(), replies(event.id(), event.origin()));
    }
  }

  private void received(Messages.ToNode message) {
    switch (message) {
      case Messages.Reply reply -> requests.reply(reply.id(), reply.body());
      case Messages.Reached reached -> {
        ClusterAcks answers = acks.get(reached.id());
        if (answers != null) {
          answers.reached(reached.answers());
        }
      }
      case Messages.Answer answer -> {
        ClusterAcks answers = acks.get(answer.id());
        if (answers != null) {
          answers.answer(answer.argsJson(), answer.attachments());
        }
      }
    }
  }

  /** Sends this node's report and answers for message {@code id} to the node that asked. */
  private ClusterAcks replies(String id, String origin) {
    byte[] replyChannel = keys.nodeChannel(origin);
    return new ClusterAcks() {
      @Override
      public void reached(int answers) {
        byte[] reply = Messages.reached(id, nodeId, answers);
        redis.publish(replyChannel, reply);
      }

      @Override
      public void answer(byte[] argsJson, List<byte[]> attachments) {
        byte[] reply = Messages.answer(id, argsJson, attachments);
        redis.publish(replyChannel, reply);
      }
    };
  }

  /** Delivers to {@code room}'s members that are in no earlier room of the broadcast. */
  private void deliverRoom(RoomSubscriptions.Room room, Messages.Broadcast broadcast) {
    if (broadcast.origin().equals(nodeId)) {
      return;
    }
    ClusterBroadcast message = broadcast.message();
    int index = message.rooms().indexOf(room.room());
    if (index < 0 || !message.namespace().equals(room.namespace())) {
      return;
    }
    Set<String> except = message.except();
    if (index > 0) {
      except = new HashSet<>(except);
      except.addAll(message.rooms().subList(0, index));
    }
    node.deliver(message.narrowed(List.of(room.room()), except));
  }

  private void answer(Messages.Request request) {
    byte[] replyChannel = keys.nodeChannel(request.origin());
    node.handle(request.request()).whenComplete((body, error) -> {
      if (error != null) {
        log.warn("cluster request {} failed on this node: {}", request.request().type(), error.toString());
        return;
      }
      byte[] reply = Messages.reply(request.id(), nodeId, body);
      redis.publish(replyChannel, reply);
    });
  }
}
