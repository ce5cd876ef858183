package dev.switchboard.socketio;

import dev.switchboard.engineio.Transport;

/**
 * Told of what every socket of a server does, in every namespace: for tools that show sockets
 * live (an admin view). Each method runs on the socket's event loop, where the event happened, so
 * it must return quickly and never block. While no observer is registered the server pays one
 * field read per event; an observer costs a call per socket event, so register one only while
 * someone looks. Broadcasts are not told per recipient.
 */
public interface SocketObserver {
  /** The socket connected: its CONNECT answer is on its way, its connection listeners not yet called. */
  default void connected(Socket socket) {}

  /** The socket's connection moved to {@code transport}. */
  default void upgraded(Socket socket, Transport transport) {}

  /** The connected socket joined {@code room} (not its own room, joined on connecting). */
  default void joined(Socket socket, String room) {}

  /** The socket left {@code room}; on disconnecting, once per room it was in. */
  default void left(Socket socket, String room) {}

  /** The client sent {@code event}, and the server admitted it. */
  default void received(Socket socket, String event, Args args) {}

  /** The server emitted {@code event} to this one socket. */
  default void sent(Socket socket, String event, Object[] args) {}

  /** The socket disconnected for {@code reason}, after its disconnect listeners. */
  default void disconnected(Socket socket, DisconnectReason reason) {}

  /** An observer's registration: closing it removes the observer. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
