package dev.switchboard.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A server-side operation run on every node's sockets that match a selection.
 *
 * @param type what to do
 * @param namespace the namespace name
 * @param rooms sockets in any of these rooms; all when empty
 * @param except sockets in any of these rooms are skipped
 * @param targetRooms the rooms to join or leave ({@link Type#SOCKETS_JOIN}, {@link Type#SOCKETS_LEAVE})
 * @param close whether {@link Type#DISCONNECT_SOCKETS} closes the whole connection
 */
public record ClusterRequest(Type type, String namespace, Set<String> rooms, Set<String> except,
    List<String> targetRooms, boolean close) {
  /** The operations. */
  public enum Type {
    /** Replies {@code {"sockets":[{id, rooms, data, handshake}]}}. */
    FETCH_SOCKETS,
    SOCKETS_JOIN,
    SOCKETS_LEAVE,
    DISCONNECT_SOCKETS
  }

  public ClusterRequest {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(namespace, "namespace");
    rooms = Set.copyOf(rooms);
    except = Set.copyOf(except);
    targetRooms = List.copyOf(targetRooms);
  }
}
