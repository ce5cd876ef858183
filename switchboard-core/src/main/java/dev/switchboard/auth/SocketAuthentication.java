package dev.switchboard.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.internal.AuthFailures;
import dev.switchboard.auth.internal.ExpiryWatch;
import dev.switchboard.auth.internal.TokenSources;
import dev.switchboard.http.internal.EventLoops;
import dev.switchboard.socketio.PresenceIdentity;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * Authenticates Socket.IO connections with JWTs and keeps them authenticated.
 *
 * <p>The {@link #middleware()} takes the token from the CONNECT {@code auth.token}, an
 * {@code Authorization: Bearer} header or the configured cookie, verifies it off the event loop
 * when keys must be fetched, and refuses with CONNECT_ERROR {@code {message, data: {code}}}
 * ({@link AuthError}). An accepted socket gets its {@link VerifiedToken} under
 * {@link #PRINCIPAL_KEY}, a {@link PresenceMember} (id = {@code sub}) under
 * {@link PresenceIdentity#DATA_KEY}, and joins {@code user:{sub}}.
 *
 * <p>{@link #onConnection} keeps the session alive: {@code auth:expiring {expiresAt}} before the
 * token expires, {@code auth:refresh {token}} (acknowledged {@code {ok:true, expiresAt}} or
 * {@code {ok:false, error:{code, message}}}) to swap in a new token of the same {@code sub}, and
 * {@code auth:expired} then a disconnection ({@code "token expired"}) when none came in time.
 */
public final class SocketAuthentication {
  /** Key of {@code socket.data()} holding the socket's {@link VerifiedToken}. */
  public static final String PRINCIPAL_KEY = "principal";
  /** The event a client sends with a fresh token. */
  public static final String REFRESH_EVENT = "auth:refresh";
  private static final String NOT_A_STRING = "token must be a string";

  private final TokenVerifier verifier;
  private final AuthOptions options;
  private final Clock clock;
  /** Set when installed on a server with a meter registry. */
  private volatile AuthFailures failures = AuthFailures.NONE;

  private SocketAuthentication(TokenVerifier verifier, AuthOptions options, Clock clock) {
    this.verifier = verifier;
    this.options = options;
    this.clock = clock;
  }

  public static SocketAuthentication create(TokenVerifier verifier, AuthOptions options) {
    return new SocketAuthentication(verifier, options, Clock.systemUTC());
  }

  /** The verified principal of {@code socket}, if it was authenticated. */
  public static Optional<VerifiedToken> principal(Socket socket) {
    return socket.data().get(PRINCIPAL_KEY) instanceof VerifiedToken token ? Optional.of(token) : Optional.empty();
  }

  /**
   * Authenticates every namespace of {@code io} and watches the tokens of the main namespace's
   * sockets; call {@link #watch(Namespace)} for other namespaces.
   */
  public SocketAuthentication install(SocketIoServer io) {
    failures = AuthFailures.in(io.options().meterRegistry(), "socketio");
    io.useForAllNamespaces(middleware());
    watch(io);
    return this;
  }

  /** Watches token expiry and answers refreshes for the sockets of {@code namespace}. */
  public SocketAuthentication watch(Namespace namespace) {
    namespace.onConnection(this::onConnection);
    return this;
  }

  /** The handshake middleware. */
  public Middleware middleware() {
    return (socket, next) -> {
      if (!TokenSources.isAbsentOrText(socket.handshake().auth().get("token"))) {
        failures.count(AuthError.TOKEN_INVALID);
        next.fail(NOT_A_STRING, Map.of("code", AuthError.TOKEN_INVALID.name()));
        return;
      }
      Optional<String> token = TokenSources.fromHandshake(socket.handshake(), options.cookieName());
      if (token.isEmpty()) {
        failures.count(AuthError.AUTH_REQUIRED);
        next.fail(AuthError.AUTH_REQUIRED.defaultMessage(), Map.of("code", AuthError.AUTH_REQUIRED.name()));
        return;
      }
      // Keys fetched or signatures checked elsewhere complete on another thread: the socket's
      // state is its loop's.
      verifier.verify(token.get()).whenComplete((principal, error) -> EventLoops.runOn(socket.executor(), () -> {
        if (error != null) {
          AuthException refused = unwrap(error);
          failures.count(refused.error());
          next.fail(refused.getMessage(), Map.of("code", refused.code()));
          return;
        }
        socket.data().put(PRINCIPAL_KEY, principal);
        socket.data().put(PresenceIdentity.DATA_KEY,
            new PresenceMember(principal.subject(), principal.publicInfo(options.publicClaims())));
        socket.joinUser(principal.subject());
        next.proceed();
      }));
    };
  }

  /** Arms the expiry timers of a connected socket and listens for {@code auth:refresh}; on its loop. */
  public void onConnection(Socket socket) {
    Optional<VerifiedToken> principal = principal(socket);
    if (principal.isEmpty()) {
      return;
    }
    ExpiryWatch watch = new ExpiryWatch(socket, options.expiryWarning(), options.clockSkew(), clock);
    socket.onDisconnect((reason, description) -> watch.cancel());
    socket.on(REFRESH_EVENT, event -> refresh(socket, event, watch));
    watch.arm(principal.get());
  }

  private void refresh(Socket socket, Event event, ExpiryWatch watch) {
    JsonNode request = event.args().get(0);
    JsonNode token = request.isObject() ? request.get("token") : null;
    if (!TokenSources.isAbsentOrText(token)) {
      event.ack(failure(new AuthException(AuthError.TOKEN_INVALID, NOT_A_STRING)));
      return;
    }
    if (token == null || token.isNull()) {
      event.ack(failure(new AuthException(AuthError.AUTH_REQUIRED, "expected {token: string}")));
      return;
    }
    verifier.verify(token.textValue()).whenComplete((fresh, error) -> socket.executor().execute(() -> {
      if (error != null) {
        event.ack(failure(unwrap(error)));
        return;
      }
      VerifiedToken current = principal(socket).orElse(null);
      if (current == null || !current.subject().equals(fresh.subject())) {
        event.ack(failure(new AuthException(AuthError.SUBJECT_MISMATCH)));
        return;
      }
      socket.data().put(PRINCIPAL_KEY, fresh);
      watch.arm(fresh);
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("ok", true);
      answer.put("expiresAt", fresh.expiry().map(Instant::toEpochMilli).orElse(null));
      event.ack(answer);
    }));
  }

  private Map<String, Object> failure(AuthException error) {
    failures.count(error.error());
    return Map.of("ok", false, "error", Map.of("code", error.code(), "message", error.getMessage()));
  }

  /** The {@link AuthException} behind a failed verification. */
  public static AuthException unwrap(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof AuthException auth ? auth
        : new AuthException(AuthError.AUTH_UNAVAILABLE, "the token could not be verified");
  }
}
