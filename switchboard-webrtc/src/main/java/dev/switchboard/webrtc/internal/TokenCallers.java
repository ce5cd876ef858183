package dev.switchboard.webrtc.internal;

import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.AuthOptions;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.auth.internal.TokenSources;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.Callers;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link Callers#tokens}: the token is found as SSE finds it and verified as sockets' are. */
public record TokenCallers(TokenVerifier verifier, AuthOptions options) implements Callers {
  @Override
  public CompletionStage<VerifiedToken> fromRequest(HttpExchange exchange) {
    Optional<String> token = TokenSources.fromRequest(exchange, options.cookieName());
    if (token.isEmpty()) {
      return CompletableFuture.failedFuture(new AuthException(AuthError.AUTH_REQUIRED));
    }
    return verifier.verify(token.get()).handle((principal, error) -> {
      if (error != null) {
        throw SocketAuthentication.unwrap(error);
      }
      return principal;
    });
  }

  @Override
  public Optional<VerifiedToken> fromSocket(Socket socket) {
    return SocketAuthentication.principal(socket);
  }
}
