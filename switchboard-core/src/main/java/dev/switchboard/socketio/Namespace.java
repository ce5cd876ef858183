package dev.switchboard.socketio;

import dev.switchboard.presence.PresenceMember;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A namespace: a group of sockets with its own middlewares, connection listeners and rooms.
 * Broadcast methods act on every socket of the namespace (of every child, for a dynamic one).
 */
public interface Namespace extends BroadcastOperator {
  String name();

  /** Adds a listener told of each socket that joins, on the socket's event loop. */
  Namespace onConnection(Consumer<Socket> listener);

  /** Node-style alias of {@link #onConnection}: {@code event} must be "connection" or "connect". */
  default Namespace on(String event, Consumer<Socket> listener) {
    if (!event.equals("connection") && !event.equals("connect")) {
      throw new IllegalArgumentException("a namespace emits only \"connection\"; got \"" + event + "\"");
    }
    return onConnection(listener);
  }

  /** Adds a middleware run before each socket joins. */
  Namespace use(Middleware middleware);

  /** The sockets connected to this namespace on this node, by id. */
  Map<String, Socket> sockets();

  /**
   * Who is in {@code room} on this node, each user once (rooms tracked by the presence rules of
   * {@link SocketIoOptions#presence()}; empty otherwise, and for a dynamic namespace family).
   */
  default List<PresenceMember> presence(String room) {
    return List.of();
  }

  /**
   * Who is in {@code room}, without blocking: in a cluster, on every node (use this on an event
   * loop; {@link #presence} may wait for the shared store).
   */
  default java.util.concurrent.CompletableFuture<List<PresenceMember>> fetchPresence(String room) {
    return java.util.concurrent.CompletableFuture.completedFuture(presence(room));
  }

  /** Broadcasts to the per-user room of {@code userId}. */
  default BroadcastOperator toUser(String userId) {
    return to(Rooms.user(userId));
  }
}
