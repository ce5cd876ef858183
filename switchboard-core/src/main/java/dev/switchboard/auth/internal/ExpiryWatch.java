package dev.switchboard.auth.internal;

import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.rooms.ReservedEvents;
import dev.switchboard.socketio.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two timers of one connection's token, on the socket's event loop: {@code auth:expiring}
 * at {@code expiry - warning} (at once when less remains), and at {@code expiry + clockSkew}
 * an {@code auth:expired} notice followed by a disconnection for {@link DisconnectReason#TOKEN_EXPIRED}.
 * Re-armed by each refresh; cancelled on disconnect.
 */
public final class ExpiryWatch {
  public static final String EXPIRING_EVENT = ReservedEvents.AUTH_EXPIRING;
  public static final String EXPIRED_EVENT = ReservedEvents.AUTH_EXPIRED;

  private final Socket socket;
  private final Duration warning;
  private final Duration clockSkew;
  private final Clock clock;
  private ScheduledFuture<?> warn;
  private ScheduledFuture<?> expire;

  public ExpiryWatch(Socket socket, Duration warning, Duration clockSkew, Clock clock) {
    this.socket = socket;
    this.warning = warning;
    this.clockSkew = clockSkew;
    this.clock = clock;
  }

  /** Starts the timers for {@code token}; on the socket's loop. */
  public void arm(VerifiedToken token) {
    cancel();
    if (token.expiry().isEmpty()) {
      return;
    }
    Instant expiresAt = token.expiry().get();
    long untilExpiry = Duration.between(clock.instant(), expiresAt).toMillis();
    long untilWarning = Math.max(0, untilExpiry - warning.toMillis());
    long untilDisconnect = Math.max(0, untilExpiry + clockSkew.toMillis());
    warn = socket.executor().schedule(() -> {
      if (socket.connected()) {
        socket.emit(EXPIRING_EVENT, Map.of("expiresAt", expiresAt.toEpochMilli()));
      }
    }, untilWarning, TimeUnit.MILLISECONDS);
    expire = socket.executor().schedule(this::expire, untilDisconnect, TimeUnit.MILLISECONDS);
  }

  private void expire() {
    if (!socket.connected()) {
      return;
    }
    socket.emit(EXPIRED_EVENT, Map.of("code", AuthError.TOKEN_EXPIRED.name(), "message",
        "the token expired without a refresh"));
    socket.disconnect(DisconnectReason.TOKEN_EXPIRED, "the access token expired without a refresh");
  }

  /** Stops both timers; on the socket's loop. */
  public void cancel() {
    if (warn != null) {
      warn.cancel(false);
      warn = null;
    }
    if (expire != null) {
      expire.cancel(false);
      expire = null;
    }
  }
}
