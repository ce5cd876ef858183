package dev.switchboard.server.api;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.testkit.JavaClients;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Official Java Socket.IO clients over WebSocket, each authenticated as a user with a JWT signed
 * by {@link #SECRET} (so that it is in its user's room); all closed at the end.
 */
final class ApiTestClients implements AutoCloseable {
  /** The servers' {@code jwt-secret}. */
  static final String SECRET = "server-api-test-secret-of-at-least-32-bytes";
  /** The servers' {@code api-key}. */
  static final String KEY = "test-api-key-0123456789";

  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** A connected socket of {@code user} on the server listening on {@code port}. */
  Socket connect(int port, String user) {
    IO.Options options = JavaClients.options(JavaClients.Mode.WEBSOCKET);
    options.auth = Map.of("token", token(user));
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
    sockets.add(socket);
    return JavaClients.connectNow(socket);
  }

  static String token(String subject) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
          .claim("name", subject).expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build());
      jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    sockets.forEach(Socket::close);
  }
}
