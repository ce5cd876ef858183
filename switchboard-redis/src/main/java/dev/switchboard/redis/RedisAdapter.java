package dev.switchboard.redis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.ClusterAdapter;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.LocalNode;
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
 */
final class RedisAdapter implements ClusterAdapter {
  private static final Logger log = LoggerFactory.getLogger(RedisAdapter.class);

  private final String nodeId;
  private final RedisConnections redis;
  private final Keys keys;
  private final NodeHeartbeat heartbeat;
  private final RoomSubscriptions subscriptions;
  private final PendingRequests requests;
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
  }

  @Override
  public void publish(ClusterBroadcast broadcast) {
    byte[] message = Messages.broadcast(nodeId, broadcast);
    if (broadcast.rooms().isEmpty() || broadcast.rooms().stream().anyMatch(Keys::isPrivate)) {
      redis.publish(allChannel, message);
      return;
    }
    for (String room : broadcast.rooms()) {
      byte[] channel = keys.roomChannel(broadcast.namespace(), room);
      redis.publish(channel, message);
    }
  }

  @Override
  public void roomActive(String namespace, String room) {
    if (!Keys.isPrivate(room)) {
      subscriptions.add(namespace, room);
    }
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

  /** Channels of rooms this node has members in. */
  int subscribedRooms() {
    return subscriptions.size();
  }

  long timedOutRequests() {
    return requests.timedOut();
  }

  private void received(byte[] channel, byte[] message) {
    try {
      if (Arrays.equals(channel, requestChannel)) {
        answer(Messages.request(message));
      } else if (Arrays.equals(channel, nodeChannel)) {
        Messages.Reply reply = Messages.reply(message);
        requests.reply(reply.id(), reply.body());
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
    if (request.origin().equals(nodeId)) {
      return;
    }
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
