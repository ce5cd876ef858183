package dev.switchboard.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channels other programs publish to with a plain PUBLISH, beside the cluster's own: subscribed
 * with a classic SUBSCRIBE on a connection of their own, opened on the first subscription, which
 * Lettuce subscribes again after every reconnection. On a Redis Cluster a PUBLISH reaches the
 * subscribers of every shard, so one subscription hears every message.
 */
final class ApplicationChannels implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApplicationChannels.class);
  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final RedisConnections redis;
  private final ConcurrentHashMap<String, List<Consumer<byte[]>>> listeners = new ConcurrentHashMap<>();
  /** Opened on the first subscription; guarded by this. */
  private StatefulRedisPubSubConnection<String, byte[]> connection;
  private boolean closed;

  ApplicationChannels(RedisConnections redis) {
    this.redis = redis;
  }

  /** Subscribes {@code channel}; completes once Redis confirmed it. */
  synchronized CompletableFuture<Void> subscribe(String channel, Consumer<byte[]> listener) {
    if (closed) {
      return CompletableFuture.failedFuture(new IllegalStateException("the cluster is closed"));
    }
    if (connection == null) {
      connection = redis.connectPubSub(CODEC);
      connection.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String from, byte[] message) {
          received(from, message);
        }
      });
    }
    listeners.computeIfAbsent(channel, name -> new CopyOnWriteArrayList<>()).add(listener);
    return connection.async().subscribe(channel).toCompletableFuture().thenApply(ok -> null);
  }

  private void received(String channel, byte[] message) {
    for (Consumer<byte[]> listener : listeners.getOrDefault(channel, List.of())) {
      try {
        listener.accept(message);
      } catch (RuntimeException e) {
        log.warn("a listener of Redis channel {} failed", channel, e);
      }
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (connection != null) {
      connection.close();
    }
  }
}
