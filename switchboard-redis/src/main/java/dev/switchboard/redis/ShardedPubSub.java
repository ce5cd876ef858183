package dev.switchboard.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;

/**
 * Sharded pub/sub on a Redis Cluster: each channel is subscribed (SSUBSCRIBE) on the node that
 * owns its hash slot, so its messages stay inside that shard instead of crossing every node.
 *
 * <p>Lettuce subscribes a node connection's channels again when it reconnects to the same node,
 * but it does not move them when their slot gets another owner (failover, resharding). So this
 * class keeps the channels it wants and the node each one is confirmed on; takes a channel's
 * messages only from that node, so that a leftover subscription elsewhere delivers nothing twice;
 * and subscribes a channel again, one SSUBSCRIBE per channel (several slots in one would fail
 * with CROSSSLOT), whenever its slot's owner is not the node it is confirmed on: after Redis
 * drops it (the slot moved; the topology is refreshed first) and on every {@link #reconcile()}.
 */
final class ShardedPubSub implements PubSub {
  private final RedisClusterClient client;
  private final StatefulRedisClusterPubSubConnection<byte[], byte[]> connection;
  private final Executor timer;
  private final RedisHealth health;
  private final Set<String> wanted = ConcurrentHashMap.newKeySet();
  /** Channel to the id of the node that last confirmed its subscription. */
  private final ConcurrentHashMap<String, String> confirmedOn = new ConcurrentHashMap<>();

  ShardedPubSub(RedisClusterClient client, StatefulRedisClusterPubSubConnection<byte[], byte[]> connection,
      Executor timer, RedisHealth health) {
    this.client = client;
    this.connection = connection;
    this.timer = timer;
    this.health = health;
  }

  @Override
  public void onMessage(BiConsumer<byte[], byte[]> listener) {
    connection.addListener(new RedisClusterPubSubAdapter<>() {
      @Override
      public void smessage(RedisClusterNode node, byte[] channel, byte[] message) {
        if (id(node).equals(confirmedOn.get(name(channel)))) {
          listener.accept(channel, message);
        }
      }

      @Override
      public void ssubscribed(RedisClusterNode node, byte[] channel, long count) {
        String name = name(channel);
        if (wanted.contains(name)) {
          confirmedOn.put(name, id(node));
        }
      }

      @Override
      public void sunsubscribed(RedisClusterNode node, byte[] channel, long count) {
        String name = name(channel);
        confirmedOn.remove(name, id(node));
        if (wanted.contains(name)) {
          moved();
        }
      }
    });
  }

  @Override
  public CompletableFuture<Void> subscribe(List<byte[]> channels) {
    List<CompletableFuture<Void>> confirmations = new ArrayList<>(channels.size());
    for (byte[] channel : channels) {
      wanted.add(name(channel));
      confirmations.add(ssubscribe(channel));
    }
    return CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new));
  }

  @Override
  public CompletableFuture<Void> unsubscribe(byte[] channel) {
    String name = name(channel);
    wanted.remove(name);
    confirmedOn.remove(name);
    return connection.async().sunsubscribe(channel).toCompletableFuture();
  }

  /** Subscribes again every channel not confirmed on the node that owns its slot now. */
  void reconcile() {
    for (String name : wanted) {
      byte[] channel = name.getBytes(StandardCharsets.UTF_8);
      RedisClusterNode owner = connection.getPartitions().getPartitionBySlot(SlotHash.getSlot(channel));
      if (owner == null || !owner.getNodeId().equals(confirmedOn.get(name))) {
        ssubscribe(channel).whenComplete((ok, error) -> {
          if (error != null) {
            health.failed(error);
          }
        });
      }
    }
  }

  /** The connection to the node at {@code address} was lost, and its subscriptions with it: they are made again on the next {@link #reconcile()}. */
  void forget(SocketAddress address) {
    if (!(address instanceof InetSocketAddress lost)) {
      return;
    }
    for (RedisClusterNode node : connection.getPartitions()) {
      if (FailoverWatch.at(node, lost)) {
        confirmedOn.values().removeIf(node.getNodeId()::equals);
      }
    }
  }

  /** Redis dropped a subscription we want: its slot has a new owner, so learn the topology, then subscribe again. */
  private void moved() {
    client.refreshPartitionsAsync().whenComplete((ok, error) -> {
      try {
        timer.execute(this::reconcile);
      } catch (RejectedExecutionException closing) {
        // the node is shutting down
      }
    });
  }

  private CompletableFuture<Void> ssubscribe(byte[] channel) {
    RedisFuture<Void> future = connection.async().ssubscribe(channel);
    return future.toCompletableFuture();
  }

  private static String id(RedisClusterNode node) {
    return node == null ? "" : node.getNodeId();
  }

  private static String name(byte[] channel) {
    return new String(channel, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    connection.close();
  }
}
