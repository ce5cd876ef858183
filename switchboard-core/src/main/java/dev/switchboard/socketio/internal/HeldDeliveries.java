package dev.switchboard.socketio.internal;

import dev.switchboard.rooms.internal.OutboundBroadcast;
import java.util.ArrayList;
import java.util.List;

/**
 * What reaches a recovered socket while it catches up: its rooms'
 * live broadcasts are held from before the read of what it missed until that read is replayed,
 * then handed on in arrival order. Loop-confined.
 */
final class HeldDeliveries {
  /**
   * Most deliveries held for one socket; past it nothing more is held and the recovery cannot be
   * exact: it fails before the middlewares run (the client starts afresh, told by
   * {@code recovered: false}), or the connection is closed after them (the client recovers again).
   */
  static final int MAX_HELD = 10_000;

  /** A broadcast shared with other members, or a packet of this socket's own (acknowledged broadcasts). */
  private sealed interface Held {
    void release();
  }

  private record Shared(OutboundBroadcast message, boolean volatileDelivery) implements Held {
    @Override
    public void release() {
      message.release();
    }
  }

  private record Own(SioEncoder.Encoded packet, boolean volatileDelivery) implements Held {
    @Override
    public void release() {
      packet.packet().release();
    }
  }

  private final List<Held> held = new ArrayList<>();
  private boolean overflowed;

  /** Holds a broadcast delivered to the socket; takes a reference of its own. */
  void add(OutboundBroadcast message, boolean volatileDelivery) {
    if (room()) {
      message.retain();
      held.add(new Shared(message, volatileDelivery));
    }
  }

  /** Holds a packet written to the socket alone, shared with other sockets: takes a reference of its own. */
  void add(SioEncoder.Encoded packet, boolean volatileDelivery) {
    if (room()) {
      held.add(new Own(new SioEncoder.Encoded(packet.packet().retainedDuplicate(), packet.binary(), packet.attachments()), volatileDelivery));
    }
  }

  private boolean room() {
    if (held.size() >= MAX_HELD) {
      overflowed = true;
    }
    return !overflowed;
  }

  /** Whether more arrived than may be held: the recovery cannot be exact. */
  boolean overflowed() {
    return overflowed;
  }

  /**
   * Hands on to {@code socket}, in arrival order, what it got while catching up (it drops what its
   * read carried too); everything held is released after. Call once the socket no longer holds.
   */
  void release(RealSocket socket) {
    try {
      for (Held item : held) {
        switch (item) {
          case Shared s -> socket.deliver(s.message(), s.volatileDelivery());
          case Own o -> socket.writeShared(o.packet(), o.volatileDelivery());
        }
      }
    } finally {
      discard();
    }
  }

  /** Releases everything held, delivering nothing. */
  void discard() {
    held.forEach(Held::release);
    held.clear();
  }
}
