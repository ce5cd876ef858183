package dev.switchboard.redis;

import java.util.Objects;

/**
 * How nodes talk to each other over Redis: this server's own format, or that of the Node
 * Socket.IO Redis adapter, so that Switchboard nodes and Node nodes form one cluster.
 */
public sealed interface RedisWire {
  /** The default key of the Node adapter ({@code key} option of {@code createAdapter}). */
  String DEFAULT_SOCKET_IO_KEY = "socket.io";

  /**
   * Switchboard's own format: per-room subscriptions, shared history and recovery streams,
   * polling without sticky sessions. Only Switchboard nodes understand it.
   */
  record Switchboard() implements RedisWire {}

  /**
   * The format of {@code @socket.io/redis-adapter} 8.x ({@code createAdapter}) and of
   * {@code @socket.io/redis-emitter}, under the channel prefix {@code key}.
   */
  record SocketIo(String key) implements RedisWire {
    public SocketIo {
      Objects.requireNonNull(key, "key");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("the key prefix must not be empty");
      }
    }
  }

  /**
   * The format of the sharded adapter of {@code @socket.io/redis-adapter} 8.x
   * ({@code createShardedAdapter}, sharded pub/sub of Redis 7) under the channel prefix {@code key}
   * (its {@code channelPrefix} option), on one Redis server or a Redis Cluster. Every node of the
   * cluster must use the same {@code subscriptionMode}.
   */
  record SocketIoSharded(String key, SubscriptionMode subscriptionMode) implements RedisWire {
    public SocketIoSharded {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(subscriptionMode, "subscriptionMode");
      if (key.isEmpty()) {
        throw new IllegalArgumentException("the key prefix must not be empty");
      }
    }
  }

  /** Which channels the sharded adapter's nodes subscribe to (its {@code subscriptionMode} option). */
  enum SubscriptionMode {
    /** Two channels per namespace: every broadcast goes to every node. */
    STATIC,
    /**
     * Also one channel per room with members on the node, a socket's own room excepted: a
     * broadcast to exactly one such room goes only to the nodes with members in it. Node's default.
     */
    DYNAMIC
  }

  static RedisWire switchboard() {
    return new Switchboard();
  }

  static RedisWire socketIo(String key) {
    return new SocketIo(key);
  }

  static RedisWire socketIoSharded(String key, SubscriptionMode subscriptionMode) {
    return new SocketIoSharded(key, subscriptionMode);
  }
}
