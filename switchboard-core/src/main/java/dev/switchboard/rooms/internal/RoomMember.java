package dev.switchboard.rooms.internal;

import io.netty.util.concurrent.EventExecutor;

/**
 * Anything that can be in a room, whatever its transport: a Socket.IO socket or an SSE stream.
 * Rooms hold members, not channels; a member lives on one event loop and is only touched there.
 */
public interface RoomMember {
  /** Unique among the namespace's members. */
  String id();

  /** The event loop that owns the member. */
  EventExecutor executor();

  /** Delivers a broadcast in the member's own wire format; on the member's event loop. */
  void deliver(OutboundBroadcast message, boolean volatileDelivery);
}
