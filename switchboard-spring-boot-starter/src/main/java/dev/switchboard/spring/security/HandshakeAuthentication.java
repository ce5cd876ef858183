package dev.switchboard.spring.security;

import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoServer;

/**
 * How the Socket.IO handshakes of the application's server are authenticated: installed on every
 * namespace before the server listens. An authenticated socket carries its
 * {@code VerifiedToken} ({@code SocketAuthentication.principal(socket)}) and is in its user's room.
 */
public interface HandshakeAuthentication extends AutoCloseable {
  /** No authentication: every handshake is accepted, sockets have no principal. */
  HandshakeAuthentication NONE = io -> { };

  /** Authenticates every namespace of {@code io}. */
  void install(SocketIoServer io);

  /** Follows the tokens of the sockets of {@code namespace} (expiry, refresh) where supported. */
  default void watch(Namespace namespace) {
  }

  @Override
  default void close() {
  }
}
