package dev.switchboard.spring.security;

import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.socketio.Middleware;
import dev.switchboard.socketio.PresenceIdentity;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.Namespace;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Authenticates Socket.IO handshakes with the application's Spring Security {@link JwtDecoder}
 * (the JWT resource server's keys, issuer and validators): the token comes from the CONNECT
 * {@code auth.token} or an {@code Authorization: Bearer} header, as with Switchboard's own
 * authentication, and refusals carry the same codes ({@code AUTH_REQUIRED}, {@code TOKEN_INVALID},
 * {@code TOKEN_EXPIRED}, {@code AUTH_UNAVAILABLE}). An accepted socket gets the token as its
 * {@link VerifiedToken} ({@code sub} as the user id), its presence identity, and joins
 * {@code user:{sub}}; it is disconnected when the token expires ({@code auth:expired}, no
 * {@code auth:refresh}: the client reconnects with a fresh token). Decoding runs on a virtual
 * thread: a decoder may fetch keys.
 */
public final class JwtDecoderAuthentication implements HandshakeAuthentication {
  /** Key of {@code socket.data()} holding the Spring Security {@link Jwt} of the socket. */
  public static final String JWT_KEY = "jwt";
  /** The claims shown to other users in presence by default, as with Switchboard's own authentication. */
  public static final List<String> DEFAULT_PUBLIC_CLAIMS = List.of("name", "picture");
  private static final Executor DECODING = Executors.newVirtualThreadPerTaskExecutor();

  private final JwtDecoder decoder;
  private final List<String> publicClaims;
  private final TokenExpiry expiry;

  /**
   * @param publicClaims the claims shown to other users in presence, as {@code AuthOptions.publicClaims}
   * @param clockSkew how long past its {@code exp} a token's socket stays connected
   */
  public JwtDecoderAuthentication(JwtDecoder decoder, List<String> publicClaims, Duration clockSkew) {
    this.decoder = decoder;
    this.publicClaims = List.copyOf(publicClaims);
    this.expiry = new TokenExpiry(clockSkew, Clock.systemUTC());
  }

  @Override
  public void install(SocketIoServer io) {
    io.useForAllNamespaces(middleware());
    io.onConnection(expiry::arm);
  }

  @Override
  public void watch(Namespace namespace) {
    if (!namespace.name().equals("/")) {
      namespace.onConnection(expiry::arm);
    }
  }

  /** The handshake middleware. */
  public Middleware middleware() {
    return (socket, next) -> {
      JsonNode field = socket.handshake().auth().get("token");
      if (field != null && !field.isNull() && !field.isTextual()) {
        next.fail("token must be a string", Map.of("code", AuthError.TOKEN_INVALID.name()));
        return;
      }
      Optional<String> token = token(socket);
      if (token.isEmpty()) {
        next.fail(AuthError.AUTH_REQUIRED.defaultMessage(), Map.of("code", AuthError.AUTH_REQUIRED.name()));
        return;
      }
      CompletableFuture.supplyAsync(() -> decoder.decode(token.get()), DECODING).whenComplete((jwt, error) -> {
        if (error != null) {
          AuthError refused = refusal(error.getCause() != null ? error.getCause() : error);
          next.fail(refused.defaultMessage(), Map.of("code", refused.name()));
          return;
        }
        if (jwt.getSubject() == null || jwt.getSubject().isEmpty()) {
          next.fail("token has no sub", Map.of("code", AuthError.TOKEN_INVALID.name()));
          return;
        }
        VerifiedToken principal = JwtClaims.principal(jwt);
        socket.data().put(SocketAuthentication.PRINCIPAL_KEY, principal);
        socket.data().put(JWT_KEY, jwt);
        socket.data().put(PresenceIdentity.DATA_KEY, new PresenceMember(principal.subject(), principal.publicInfo(publicClaims)));
        socket.joinUser(principal.subject());
        next.proceed();
      });
    };
  }

  private static Optional<String> token(Socket socket) {
    Optional<String> fromAuth = socket.handshake().authField("token").filter(token -> !token.isBlank());
    if (fromAuth.isPresent()) {
      return fromAuth;
    }
    return socket.handshake().header("authorization")
        .filter(header -> header.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(header -> header.substring(7).trim())
        .filter(token -> !token.isEmpty());
  }

  /** The wire code of a decoding failure: expiry and other invalid tokens apart from keys that could not be had. */
  static AuthError refusal(Throwable error) {
    if (error instanceof JwtValidationException invalid) {
      boolean expired = invalid.getErrors().stream()
          .anyMatch(problem -> problem.getDescription() != null && problem.getDescription().contains("expired"));
      return expired ? AuthError.TOKEN_EXPIRED : AuthError.TOKEN_INVALID;
    }
    if (error instanceof BadJwtException) {
      return AuthError.TOKEN_INVALID;
    }
    return error instanceof JwtException ? AuthError.AUTH_UNAVAILABLE : AuthError.TOKEN_INVALID;
  }
}
