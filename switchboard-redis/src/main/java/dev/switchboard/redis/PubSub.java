package dev.switchboard.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * A node's subscriptions: classic pub/sub on a single Redis, sharded pub/sub on a Redis Cluster.
 * Subscribing a channel already subscribed changes nothing, so restoring is subscribing again.
 */
interface PubSub extends AutoCloseable {
  /** Adds a listener that gets every message (channel, message), on a Redis I/O thread; before subscribing. */
  void onMessage(BiConsumer<byte[], byte[]> listener);

  /** Completes when Redis confirmed every channel, exceptionally when one failed. */
  CompletableFuture<Void> subscribe(List<byte[]> channels);

  CompletableFuture<Void> unsubscribe(byte[] channel);

  @Override
  void close();
}
