package dev.switchboard.socketio.internal;

import dev.switchboard.socketio.SocketObserver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The rooms of one socket: those it is in once connected (in the namespace's adapter and presence
 * too), and those joined by middlewares before, joined on connection. Changed on the socket's loop;
 * {@link #current} is read from anywhere.
 */
final class SocketRooms {
  private final RealSocket socket;
  private volatile Set<String> rooms = Set.of();
  /** Rooms joined by middlewares, before the socket is connected. */
  private Set<String> joinedBeforeConnect;
  private boolean closed;

  SocketRooms(RealSocket socket) {
    this.socket = socket;
  }

  Set<String> current() {
    return rooms;
  }

  void join(Collection<String> toJoin) {
    if (!socket.connected()) {
      if (!closed) {
        if (joinedBeforeConnect == null) {
          joinedBeforeConnect = new HashSet<>();
        }
        joinedBeforeConnect.addAll(toJoin);
      }
      return;
    }
    RealNamespace nsp = socket.realNamespace();
    Set<String> next = null;
    List<String> joinedNow = new ArrayList<>(1);
    for (String room : toJoin) {
      if (!rooms.contains(room) && (next == null || !next.contains(room))) {
        if (next == null) {
          next = new HashSet<>(rooms);
        }
        next.add(room);
        nsp.adapter().join(socket, room);
        joinedNow.add(room);
      }
    }
    if (next != null) {
      rooms = Set.copyOf(next);
      for (String room : joinedNow) {
        nsp.presence().joined(socket, room);
      }
      SocketObserver observer = nsp.server().observer();
      if (observer != null) {
        joinedNow.forEach(room -> observer.joined(socket, room));
      }
      socket.stateChanged();
    }
  }

  void leave(String room) {
    boolean connected = socket.connected();
    if (!connected && joinedBeforeConnect != null) {
      joinedBeforeConnect.remove(room);
    }
    if (connected && rooms.contains(room)) {
      Set<String> next = new HashSet<>(rooms);
      next.remove(room);
      rooms = Set.copyOf(next);
      RealNamespace nsp = socket.realNamespace();
      nsp.adapter().leave(socket, room);
      nsp.presence().left(socket, room);
      SocketObserver observer = nsp.server().observer();
      if (observer != null) {
        observer.left(socket, room);
      }
      socket.stateChanged();
    }
  }

  /** Joins the socket's own room, then those joined before it connected; once connected. */
  void joinOnConnect() {
    String id = socket.id();
    rooms = Set.of(id);
    socket.realNamespace().adapter().join(socket, id);
    if (joinedBeforeConnect != null) {
      Set<String> early = joinedBeforeConnect;
      joinedBeforeConnect = null;
      join(early);
    }
  }

  /** No room is joined from now on. */
  void close() {
    closed = true;
    joinedBeforeConnect = null;
  }

  /**
   * Leaves every room, in the adapter and presence too; once disconnected. {@code handedOver}: the
   * socket was kept for recovery on another node as this one stops, so its presence is handed over
   * rather than left ({@link PresenceTracker#handedOver}).
   */
  void leaveAll(boolean handedOver) {
    Set<String> wasIn = rooms;
    RealNamespace nsp = socket.realNamespace();
    nsp.adapter().remove(socket, wasIn);
    rooms = Set.of();
    for (String room : wasIn) {
      if (handedOver) {
        nsp.presence().handedOver(socket, room);
      } else {
        nsp.presence().left(socket, room);
      }
    }
    SocketObserver observer = nsp.server().observer();
    if (observer != null) {
      wasIn.forEach(room -> observer.left(socket, room));
    }
  }
}
