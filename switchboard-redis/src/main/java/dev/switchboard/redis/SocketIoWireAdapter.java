package dev.switchboard.redis;

import dev.switchboard.cluster.ClusterAdapter;

/**
 * An adapter that speaks the format of a Node Redis adapter ({@link RedisWire.SocketIo},
 * {@link RedisWire.SocketIoSharded}): Node nodes know no shared streams, so history and recovery
 * stay per node.
 */
sealed interface SocketIoWireAdapter extends ClusterAdapter permits SocketIoAdapter, ShardedSocketIoAdapter {
  /** Ends this node's subscriptions. */
  void close();
}
