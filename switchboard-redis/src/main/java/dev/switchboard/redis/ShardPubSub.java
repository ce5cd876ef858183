package dev.switchboard.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Sharded pub/sub (SSUBSCRIBE) on one Redis server: every channel on the one connection, which
 * Lettuce subscribes again when it reconnects. Messages published with PUBLISH do not reach it.
 */
final class ShardPubSub implements PubSub {
  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;

  ShardPubSub(StatefulRedisPubSubConnection<byte[], byte[]> connection) {
    this.connection = connection;
  }

  @Override
  public void onMessage(BiConsumer<byte[], byte[]> listener) {
    connection.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void smessage(byte[] channel, byte[] message) {
        listener.accept(channel, message);
      }
    });
  }

  @Override
  public CompletableFuture<Void> subscribe(List<byte[]> channels) {
    return connection.async().ssubscribe(channels.toArray(byte[][]::new)).toCompletableFuture();
  }

  @Override
  public CompletableFuture<Void> unsubscribe(byte[] channel) {
    return connection.async().sunsubscribe(channel).toCompletableFuture();
  }

  @Override
  public void close() {
    connection.close();
  }
}
