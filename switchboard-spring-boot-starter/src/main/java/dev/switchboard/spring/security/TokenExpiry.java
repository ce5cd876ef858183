package dev.switchboard.spring.security;

import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.rooms.ReservedEvents;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends a socket's session when its token expires (past the clock skew): {@code auth:expired
 * {code:"TOKEN_EXPIRED", message}}, then a disconnection for {@link DisconnectReason#TOKEN_EXPIRED},
 * as with Switchboard's own authentication; the client reconnects with a fresh token.
 */
final class TokenExpiry {
  private final Duration clockSkew;
  private final Clock clock;

  TokenExpiry(Duration clockSkew, Clock clock) {
    this.clockSkew = clockSkew;
    this.clock = clock;
  }

  /** Arms the expiry of a connected socket's token, if it has one. */
  void arm(Socket socket) {
    SocketAuthentication.principal(socket).flatMap(token -> token.expiry()).ifPresent(expiresAt -> {
      long delay = Math.max(0, Duration.between(clock.instant(), expiresAt.plus(clockSkew)).toMillis());
      ScheduledFuture<?> expiry = socket.executor().schedule(() -> expire(socket), delay, TimeUnit.MILLISECONDS);
      socket.onDisconnect((reason, description) -> expiry.cancel(false));
    });
  }

  private static void expire(Socket socket) {
    if (!socket.connected()) {
      return;
    }
    socket.emit(ReservedEvents.AUTH_EXPIRED, Map.of("code", AuthError.TOKEN_EXPIRED.name(), "message", "the token expired"));
    socket.disconnect(DisconnectReason.TOKEN_EXPIRED, "the access token expired");
  }
}
