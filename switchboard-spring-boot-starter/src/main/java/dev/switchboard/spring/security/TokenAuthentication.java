package dev.switchboard.spring.security;

import dev.switchboard.auth.AuthOptions;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.SocketIoServer;

/**
 * The standalone server's own JWT authentication, as {@code switchboard.jwt-*} configures it:
 * tokens verified by Switchboard, {@code auth:expiring}, {@code auth:refresh} and
 * {@code auth:expired} on every controller namespace.
 */
public final class TokenAuthentication implements HandshakeAuthentication {
  private final TokenVerifier verifier;
  private final SocketAuthentication authentication;

  public TokenAuthentication(AuthOptions options) {
    this.verifier = TokenVerifier.create(options);
    this.authentication = SocketAuthentication.create(verifier, options);
  }

  @Override
  public void install(SocketIoServer io) {
    authentication.install(io);
  }

  @Override
  public void watch(Namespace namespace) {
    if (!namespace.name().equals("/")) {
      authentication.watch(namespace);
    }
  }

  @Override
  public void close() {
    verifier.close();
  }
}
