package dev.switchboard.redis;

import dev.switchboard.cluster.ClusterBroadcast;

/**
 * The channels of the sharded Node Redis adapter under the prefix {@code key}: per namespace
 * {@code <key>#<nsp>#}, where messages go, and {@code <key>#<nsp>#<uid>#}, where node {@code uid}
 * gets the answers to its requests; in the dynamic subscription mode also
 * {@code <key>#<nsp>#<room>#} for each room but those named like a socket (20 characters, which
 * Node takes for a socket's own room).
 */
record ShardedChannels(String key, RedisWire.SubscriptionMode mode) {
  /** The length of a socket id. */
  private static final int SOCKET_ID_LENGTH = 20;

  String namespace(String nsp) {
    return key + "#" + nsp + "#";
  }

  /** Where node {@code uid} of {@code nsp} gets its answers. */
  String responses(String nsp, String uid) {
    return namespace(nsp) + uid + "#";
  }

  String room(String nsp, String room) {
    return namespace(nsp) + room + "#";
  }

  /** Whether {@code room} has a channel of its own, which a node with members in it subscribes to. */
  boolean hasRoomChannel(String room) {
    return mode == RedisWire.SubscriptionMode.DYNAMIC && room.length() != SOCKET_ID_LENGTH;
  }

  /**
   * Where a broadcast not asking for acknowledgements goes: its room's channel when it is to
   * exactly one room that has one, the namespace's otherwise. (One asking for them always goes to
   * the namespace's, as its answers are counted against every node of the namespace.)
   */
  String broadcast(ClusterBroadcast broadcast) {
    return broadcast.rooms().size() == 1 && hasRoomChannel(broadcast.rooms().get(0))
        ? room(broadcast.namespace(), broadcast.rooms().get(0)) : namespace(broadcast.namespace());
  }
}
