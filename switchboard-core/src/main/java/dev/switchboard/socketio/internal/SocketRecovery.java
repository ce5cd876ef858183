package dev.switchboard.socketio.internal;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.rooms.internal.LocalAdapter;
import dev.switchboard.rooms.internal.OutboundBroadcast;
import dev.switchboard.socketio.DisconnectReason;
import io.netty.buffer.Unpooled;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The connection state recovery of one socket taken back: what it missed, what its rooms deliver
 * while it catches up (held), and which deliveries the read of what it missed carried too.
 * Loop-confined to the socket's event loop.
 */
final class SocketRecovery {
  /** Disconnections after which the client may come back and recover, as in Node. */
  static final Set<DisconnectReason> RECOVERABLE = EnumSet.of(
      DisconnectReason.TRANSPORT_ERROR, DisconnectReason.TRANSPORT_CLOSE, DisconnectReason.FORCED_CLOSE,
      DisconnectReason.PING_TIMEOUT, DisconnectReason.SERVER_SHUTTING_DOWN, DisconnectReason.FORCED_SERVER_CLOSE);

  private final RealSocket socket;
  /** The session taken back and the packets to replay. */
  private RecoveryLog.Restored restored;
  /**
   * While catching up: what its rooms deliver meanwhile, and the rooms it is in to get it (its own
   * and its restored ones); null otherwise.
   */
  private HeldDeliveries held;
  private Set<String> heldRooms;
  /**
   * Tells which deliveries the read of what it missed carried too; set once the read is done, and
   * asked for as long as the socket lives: one published just before the read may still be on its
   * way to this node after the socket caught up.
   */
  private Predicate<OutboundBroadcast> replayed;

  SocketRecovery(RealSocket socket, RecoveryLog.Restored restored) {
    this.socket = socket;
    this.restored = restored;
  }

  RecoveryLog.Session session() {
    return restored.session();
  }

  /** Whether {@code message} is not for the client now: held while catching up, or already replayed. */
  boolean intercepts(OutboundBroadcast message, boolean volatileDelivery) {
    if (held != null) {
      held.add(message, volatileDelivery);
      return true;
    }
    return replayed != null && replayed.test(message);
  }

  /** Whether {@code packet} is held while catching up. */
  boolean holds(SioEncoder.Encoded packet, boolean volatileDelivery) {
    if (held != null) {
      held.add(packet, volatileDelivery);
      return true;
    }
    return false;
  }

  /**
   * Starts catching up: joins its own room and its restored rooms here, holding what they deliver
   * until {@link #replay}. Before what it missed is read.
   */
  void hold() {
    held = new HeldDeliveries();
    heldRooms = new HashSet<>(restored.session().rooms());
    heldRooms.add(socket.id());
    LocalAdapter<RealSocket> adapter = socket.realNamespace().adapter();
    adapter.add(socket);
    for (String room : heldRooms) {
      adapter.join(socket, room);
    }
  }

  /** Whether it is catching up (holding deliveries). */
  boolean holding() {
    return held != null;
  }

  /**
   * What it missed has been read: {@code missed} to replay, {@code replayed} to tell which held
   * deliveries it carried too. False when more was held than may be: the recovery cannot be exact.
   */
  boolean caughtUp(List<RecoveryLog.Logged> missed, Predicate<OutboundBroadcast> replayed) {
    restored = new RecoveryLog.Restored(restored.session(), missed);
    this.replayed = replayed;
    return !held.overflowed();
  }

  /** Stops catching up, delivering nothing: the recovery failed, or the socket was refused or lost. */
  void abandon() {
    if (held == null) {
      return;
    }
    held.discard();
    held = null;
    socket.realNamespace().adapter().remove(socket, heldRooms);
    heldRooms = null;
  }

  /** Its connection was lost while catching up, before the CONNECT answer. */
  void lost(DisconnectReason reason) {
    abandon();
    // Taken back but never answered: kept again, so the client resumes from the same offset.
    if (RECOVERABLE.contains(reason)) {
      socket.realNamespace().persist(socket.id(), socket.pid(), restored.session().rooms(), socket.data());
    }
  }

  /**
   * Sends what it missed, in order, then what its rooms delivered while it caught up, without what
   * both carry; after the CONNECT answer.
   */
  void replay() {
    Client client = socket.client();
    for (RecoveryLog.Logged packet : restored.missed()) {
      client.write(client.server().encoder().wrap(Unpooled.wrappedBuffer(packet.text()), packet.attachments()));
    }
    if (held != null) {
      HeldDeliveries caughtUp = held;
      held = null;
      heldRooms = null;
      if (caughtUp.overflowed()) {
        // More arrived while the middlewares ran than may be held: the client comes back and
        // recovers again from what it has.
        caughtUp.discard();
        client.session().close(CloseReason.FORCED_CLOSE, "too much to hold while recovering");
        return;
      }
      caughtUp.release(socket);
      // From now on packets to this socket alone may be ones this node sends it (socket.emit): on
      // a Redis Cluster they come from a stream of their own, whose offsets no read compared.
      Predicate<OutboundBroadcast> read = replayed;
      String id = socket.id();
      replayed = message -> !message.keptFor(id) && read.test(message);
    }
  }
}
