package dev.switchboard.redis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names of the channels and keys a cluster uses, all under one prefix. A namespace and a room are
 * joined as {@code <length of namespace>:<namespace><room>}, so that no two pairs share a name. A
 * room's channel and keys carry that name as their hash tag: on a Redis Cluster they share a slot.
 */
final class Keys {
  /** Rooms that look like a socket id (a socket's own room) are never subscribed one by one. */
  private static final Pattern PRIVATE_ROOM = Pattern.compile("[A-Za-z0-9_-]{20}");

  /** The namespace whose rooms' history keys share their channel's shard. */
  static final String MAIN_NAMESPACE = "/";

  private final String prefix;

  Keys(String prefix) {
    this.prefix = prefix;
  }

  static String scoped(String namespace, String room) {
    return namespace.length() + ":" + namespace + room;
  }

  /** Whether {@code room} is delivered through the all-nodes channel rather than its own. */
  static boolean isPrivate(String room) {
    return PRIVATE_ROOM.matcher(room).matches();
  }

  /** Shares the hash tag of the room's keys, so that on a Redis Cluster it lives on their shard. */
  byte[] roomChannel(String namespace, String room) {
    return bytes(prefix + "r:{" + scoped(namespace, room) + "}");
  }

  /** Broadcasts every node receives: to a whole namespace or to private rooms. */
  byte[] allChannel() {
    return bytes(prefix + "all");
  }

  /** Requests for every node. */
  byte[] requestChannel() {
    return bytes(prefix + "req");
  }

  /** Replies addressed to one node. */
  byte[] nodeChannel(String nodeId) {
    return bytes(prefix + "node:" + nodeId);
  }

  /** Polling requests forwarded to the node tagged {@code nodeTag}, and answers to the polls it forwarded. */
  byte[] pollChannel(String nodeTag) {
    return bytes(prefix + "poll:" + nodeTag);
  }

  /** Sorted set of live nodes, scored by when their heartbeat expires. */
  byte[] nodes() {
    return bytes(prefix + "nodes");
  }

  /** The presence keys of one room share a hash tag, so scripts may touch them together. */
  String presence(String namespace, String room) {
    return prefix + "p:{" + scoped(namespace, room) + "}:";
  }

  /**
   * A room's history stream. History is kept by room name; its keys carry the hash tag of the room
   * in the main namespace, where the built-in events and SSE streams publish, so that on a Redis
   * Cluster they share the shard of that room's channel.
   */
  byte[] history(String room) {
    return bytes(prefix + "h:{" + scoped(MAIN_NAMESPACE, room) + "}");
  }

  /** A room's history meta hash (epoch and last offset), next to its stream. */
  byte[] historyMeta(String room) {
    return bytes(prefix + "h:{" + scoped(MAIN_NAMESPACE, room) + "}:m");
  }

  /**
   * The ids and sizes of the entries of {@code stream}, oldest first, in its hash slot: how a
   * publish finds what to delete when the stream is over its bytes ({@link StreamScripts#BUDGET}).
   */
  static byte[] entrySizes(byte[] stream) {
    return suffixed(stream, ":q");
  }

  /** The bytes the entries of {@code stream} hold, in its hash slot ({@link StreamScripts#BUDGET}). */
  static byte[] entryBytes(byte[] stream) {
    return suffixed(stream, ":b");
  }

  private static byte[] suffixed(byte[] key, String suffix) {
    byte[] tail = bytes(suffix);
    byte[] out = Arrays.copyOf(key, key.length + tail.length);
    System.arraycopy(tail, 0, out, key.length, tail.length);
    return out;
  }

  /** The broadcasts of a namespace kept for connection state recovery (one Redis server). */
  byte[] recovery(String namespace) {
    return bytes(prefix + "cs:{" + namespace + "}");
  }

  /** The key that marks {@code id} as claimed (a message id within its de-duplication window). */
  byte[] claimed(String id) {
    return bytes(prefix + "id:" + id);
  }

  /** A disconnected socket of a namespace, kept for recovery (one Redis server). */
  byte[] disconnected(String namespace, String pid) {
    return bytes(prefix + "cs:{" + namespace + "}:" + pid);
  }

  /**
   * The broadcasts to a room kept for connection state recovery on a Redis Cluster, on the shard
   * of the room's channel.
   */
  byte[] roomRecovery(String namespace, String room) {
    return bytes(prefix + "rs:{" + scoped(namespace, room) + "}");
  }

  /**
   * The broadcasts to a whole namespace or to private rooms kept for recovery on a Redis Cluster:
   * tagged with the all-nodes channel's name, so they live on its shard.
   */
  byte[] namespaceRecovery(String namespace) {
    return bytes(prefix + "ns:{" + prefix + "all}:" + namespace.length() + ":" + namespace);
  }

  /**
   * The packets a node sent to its own sockets, kept for recovery on a Redis Cluster: tagged with
   * the node's channel, so they live on its shard.
   */
  byte[] nodeRecovery(String nodeId) {
    return bytes(prefix + "ns:{" + prefix + "node:" + nodeId + "}");
  }

  /** The recoverable state of a node's connected sockets ({@link ConnectedSockets}), in a slot of its own. */
  byte[] connectedSockets(String nodeId) {
    return bytes(prefix + "live:{" + nodeId + "}");
  }

  /** Sorted set of the nodes that keep their connected sockets' state, scored by their last heartbeat. */
  byte[] connectedSocketHolders() {
    return bytes(prefix + "live-nodes");
  }

  /** A disconnected socket kept for recovery on a Redis Cluster, in a slot of its own. */
  byte[] disconnectedSocket(String namespace, String pid) {
    return bytes(prefix + "ds:{" + scoped(namespace, pid) + "}");
  }

  /** The nodes with members in a room, by its scoped name ({@link #scoped}), in the room's slot. */
  byte[] occupancy(String scopedRoom) {
    return bytes(prefix + "o:{" + scopedRoom + "}");
  }

  /** The sequence of a room's last occupancy change, next to {@link #occupancy}. */
  byte[] occupancySequence(String scopedRoom) {
    return bytes(prefix + "o:{" + scopedRoom + "}:s");
  }

  /**
   * The rooms of a namespace with presence entries, scored by when their latest entry expires:
   * where the sweep finds rooms whose every member's node stopped.
   */
  byte[] presenceIndex(String namespace) {
    return bytes(prefix + "pi:" + namespace);
  }

  /** Every occupied room by scoped name, scored by when its latest entry expires: where the sweep looks. */
  byte[] occupancyIndex() {
    return bytes(prefix + "oi");
  }

  /** A room of a namespace, as a scoped name carries it. */
  record ScopedRoom(String namespace, String room) {}

  /** The namespace and room of a scoped name ({@link #scoped}); empty for a name that is not one. */
  static Optional<ScopedRoom> unscoped(String scoped) {
    int colon = scoped.indexOf(':');
    if (colon < 1) {
      return Optional.empty();
    }
    try {
      int length = Integer.parseInt(scoped.substring(0, colon));
      if (length < 0 || colon + 1 + length > scoped.length()) {
        return Optional.empty();
      }
      return Optional.of(new ScopedRoom(scoped.substring(colon + 1, colon + 1 + length), scoped.substring(colon + 1 + length)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  byte[] userConnections(String userId) {
    return bytes(prefix + "u:{" + userId + "}");
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
