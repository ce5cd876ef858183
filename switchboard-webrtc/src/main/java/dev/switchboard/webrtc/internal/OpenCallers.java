package dev.switchboard.webrtc.internal;

import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.socketio.PresenceIdentity;
import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.Callers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link Callers#open}: the user is whoever the request or the handshake names. */
public final class OpenCallers implements Callers {
  /** The query parameter naming the user of an HTTP request. */
  public static final String USER_PARAM = "user";

  @Override
  public CompletionStage<VerifiedToken> fromRequest(HttpExchange exchange) {
    Optional<String> user = exchange.queryParam(USER_PARAM).filter(id -> !id.isBlank());
    if (user.isEmpty()) {
      return CompletableFuture.failedFuture(new AuthException(AuthError.AUTH_REQUIRED,
          "no user: without authentication, name the user with ?" + USER_PARAM + "=<id>"));
    }
    return CompletableFuture.completedFuture(new VerifiedToken(user.get(), Map.of("sub", user.get())));
  }

  @Override
  public Optional<VerifiedToken> fromSocket(Socket socket) {
    PresenceMember member = PresenceIdentity.DEFAULT.identify(socket);
    if (member.id().equals(socket.id())) {
      return Optional.empty();
    }
    Map<String, Object> claims = new LinkedHashMap<>(member.info());
    claims.put("sub", member.id());
    return Optional.of(new VerifiedToken(member.id(), claims));
  }
}
