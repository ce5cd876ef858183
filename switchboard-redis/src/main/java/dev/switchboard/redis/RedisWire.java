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

  static RedisWire switchboard() {
    return new Switchboard();
  }

  static RedisWire socketIo(String key) {
    return new SocketIo(key);
  }
}
