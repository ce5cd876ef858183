package dev.switchboard.server.cluster;

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
 * Socket.IO clients (the official Java client) spread over the nodes, each authenticated as a user
 * with a JWT signed by {@link #SECRET}; all closed at the end.
 */
final class Clients implements AutoCloseable {
  /** The nodes' {@code jwt-secret}. */
  static final String SECRET = "cluster-test-secret-of-at-least-32-bytes!";

  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Connects over WebSocket to the node on {@code port} as user {@code userId}. */
  Socket connect(int port, String userId) {
    return JavaClients.connectNow(socket(port, userId));
  }

  /** A socket not yet connected. */
  Socket socket(int port, String userId) {
    IO.Options options = JavaClients.options(JavaClients.Mode.WEBSOCKET);
    options.auth = Map.of("token", token(userId));
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
    sockets.add(socket);
    return socket;
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
