package dev.switchboard.socketio;

import dev.switchboard.rooms.Rooms;
import dev.switchboard.engineio.Transport;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A client connected to one namespace, the server-side twin of the client's socket. Its
 * listeners run on its event loop, one at a time; its methods may be called from any thread.
 */
public interface Socket {
  /** The socket id, distinct from the Engine.IO session id; also the socket's own room. */
  String id();

  Namespace namespace();

  Handshake handshake();

  /**
   * Free-form data attached to the socket (Node's {@code socket.data}); thread-safe. Its JSON
   * values go with the socket when its connection state is recovered, on any node of a cluster;
   * where the cluster keeps connected sockets' state (Redis live sessions), every change is kept,
   * however it is made.
   */
  Map<String, Object> data();

  /** The rooms the socket is in, its own room included (a snapshot). */
  Set<String> rooms();

  boolean connected();

  /** Whether this socket was restored by connection state recovery. */
  boolean recovered();

  /** The transport in use now. */
  Transport transport();

  /** The id of the underlying Engine.IO session. */
  String connectionId();

  /** The event loop the socket's listeners run on: tasks and timers given to it run one at a time with them. */
  java.util.concurrent.ScheduledExecutorService executor();

  default Socket join(String... rooms) {
    return join(java.util.List.of(rooms));
  }

  Socket join(Collection<String> rooms);

  /**
   * Completes once broadcasts to {@code room} published on any node of the cluster reach this
   * socket's node: after {@link #join}, a message published before this completes may be missed
   * by the other nodes' publishers, none after. It also waits until the socket's arrival is
   * counted in the room's occupancy and presence, when those are followed
   * ({@link Namespace#onRoomOccupancy}, presence rules), so that a member who joined before
   * another left keeps the room occupied. At once on a single node. Never fails: when the
   * cluster cannot confirm (Redis away), it completes after a few seconds and local broadcasts
   * still arrive.
   */
  java.util.concurrent.CompletableFuture<Void> roomReady(String room);

  Socket leave(String room);

  /** Joins the per-user room of {@code userId} ({@link Rooms#user(String)}). */
  default Socket joinUser(String userId) {
    return join(Rooms.user(userId));
  }

  /** Adds a listener for {@code event}. Reserved names (connect, disconnect...) are refused. */
  Socket on(String event, EventListener listener);

  /** Removes a listener added with {@link #on}. */
  Socket off(String event, EventListener listener);

  /** Adds a listener for every event, called before the named ones. */
  Socket onAny(EventListener listener);

  /**
   * Adds a listener for the events that no listener added with {@link #on} handles (after the
   * catch-all ones), e.g. to answer their acknowledgement with an error instead of leaving the
   * client waiting.
   */
  Socket onUnhandled(EventListener listener);

  /** Called before the socket leaves its rooms. */
  Socket onDisconnecting(DisconnectListener listener);

  /** Called once the socket has disconnected, whatever the reason. */
  Socket onDisconnect(DisconnectListener listener);

  /** Sends {@code event} to this client. */
  void emit(String event, Object... args);

  /** Sends a {@code message} event. */
  default void send(Object... args) {
    emit("message", args);
  }

  /** Sends {@code event} and waits for the acknowledgement within the server's ackTimeout. */
  CompletableFuture<Args> emitWithAck(String event, Object... args);

  /** An emitter whose acknowledgements time out after {@code timeout}. */
  AckEmitter timeout(Duration timeout);

  /** Broadcasts to {@code rooms}, except this socket. */
  default BroadcastOperator to(String... rooms) {
    return broadcast().to(rooms);
  }

  /** Same as {@link #to}. */
  default BroadcastOperator in(String... rooms) {
    return to(rooms);
  }

  /** Broadcasts to the namespace except this socket and {@code rooms}. */
  default BroadcastOperator except(String... rooms) {
    return broadcast().except(rooms);
  }

  /** Broadcasts to every socket of the namespace except this one. */
  BroadcastOperator broadcast();

  /** Leaves the namespace; the client is told (DISCONNECT packet). */
  default void disconnect() {
    disconnect(false);
  }

  /** Leaves the namespace, and with {@code close} closes the whole connection. */
  void disconnect(boolean close);

  /**
   * Leaves the namespace as {@link #disconnect()} does, telling the disconnecting and disconnect
   * listeners {@code reason} and {@code description}. A server gives one of two reasons when it
   * makes a socket leave: {@link DisconnectReason#SERVER_NAMESPACE_DISCONNECT}, or
   * {@link DisconnectReason#TOKEN_EXPIRED} when its access token expired without a refresh; any
   * other is refused with an {@link IllegalArgumentException}, since the server does not decide it.
   */
  void disconnect(DisconnectReason reason, String description);
}
