package dev.switchboard.webrtc;

import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.AuthOptions;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.internal.OpenCallers;
import dev.switchboard.webrtc.internal.TokenCallers;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Who asks for call credentials: the user of an HTTP request or of a connected socket. */
public interface Callers {
  /**
   * The user of {@code exchange}; fails with an {@link AuthException} ({@code AUTH_REQUIRED},
   * {@code TOKEN_EXPIRED}, ...) when there is none. May complete on another thread.
   */
  CompletionStage<VerifiedToken> fromRequest(HttpExchange exchange);

  /** The user of {@code socket}; empty for an anonymous connection. */
  Optional<VerifiedToken> fromSocket(Socket socket);

  /**
   * Users proven by a JWT: taken where SSE streams take it ({@code ?token=},
   * {@code Authorization: Bearer}, the cookie of {@code options}) and verified by
   * {@code verifier}; a socket's is the one its connection was authenticated with.
   */
  static Callers tokens(TokenVerifier verifier, AuthOptions options) {
    return new TokenCallers(verifier, options);
  }

  /**
   * Users who say who they are, for servers without authentication: {@code ?user=<id>} on HTTP,
   * the handshake's {@code auth.user.id} on a socket. Anyone can claim any id: never in production.
   */
  static Callers open() {
    return new OpenCallers();
  }
}
