package dev.switchboard.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Pub/sub on one Redis server: every channel on the one subscription connection. */
final class ClassicPubSub implements PubSub {
  private final StatefulRedisPubSubConnection<byte[], byte[]> connection;

  ClassicPubSub(StatefulRedisPubSubConnection<byte[], byte[]> connection) {
    this.connection = connection;
  }

  @Override
  public void onMessage(BiConsumer<byte[], byte[]> listener) {
    connection.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(byte[] channel, byte[] message) {
        listener.accept(channel, message);
      }
    });
  }

  @Override
  public CompletableFuture<Void> subscribe(List<byte[]> channels) {
    return connection.async().subscribe(channels.toArray(byte[][]::new)).toCompletableFuture();
  }

  @Override
  public CompletableFuture<Void> unsubscribe(byte[] channel) {
    return connection.async().unsubscribe(channel).toCompletableFuture();
  }

  @Override
  public void close() {
    connection.close();
  }
}
