package dev.switchboard.rooms.internal;

import java.util.Set;

/**
 * Which sockets a broadcast or a server-side operation reaches.
 *
 * @param rooms sockets in any of these rooms; all sockets when empty
 * @param except sockets in any of these rooms are skipped
 * @param local only this node's sockets
 * @param volatileDelivery skip sockets that cannot take a message right away
 */
public record BroadcastTarget(Set<String> rooms, Set<String> except, boolean local, boolean volatileDelivery) {
  public static final BroadcastTarget ALL = new BroadcastTarget(Set.of(), Set.of(), false, false);
}
