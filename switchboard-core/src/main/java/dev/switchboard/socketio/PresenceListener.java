package dev.switchboard.socketio;

import dev.switchboard.presence.PresenceMember;

/**
 * Told when a member's first connection enters a room that tracks presence and when their last
 * one leaves it (or their node stopped and their entries expired): each change once over the
 * cluster, on the node that saw it, on a thread that must not be blocked (an event loop or the
 * cluster's I/O thread). These are the changes {@code presence:join} and {@code presence:leave}
 * announce, whether or not the room announces them.
 */
public interface PresenceListener {
  /** {@code member} entered {@code room} with their first connection. */
  default void joined(String room, PresenceMember member) {}

  /** {@code member}'s last connection left {@code room}. */
  default void left(String room, PresenceMember member) {}
}
