package dev.switchboard.server.calls;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.server.SwitchboardApp;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * Official Java clients of standalone servers started with {@code jwt-secret} {@link #SECRET}, each
 * authenticated as a user over WebSocket; all closed at the end.
 */
final class CallClients implements AutoCloseable {
  static final String SECRET = "calls-test-secret-of-at-least-32-bytes!!";

  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Connects to {@code node} as user {@code userId}. */
  Socket connect(SwitchboardApp node, String userId) {
    IO.Options options = JavaClients.options(JavaClients.Mode.WEBSOCKET);
    options.auth = Map.of("token", token(userId));
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + node.port()), options);
    sockets.add(socket);
    return JavaClients.connectNow(socket);
  }

  /** Emits {@code event} with {@code payload} and completes with the server's answer. */
  static CompletableFuture<JSONObject> request(Socket socket, String event, JSONObject payload) {
    CompletableFuture<JSONObject> answer = new CompletableFuture<>();
    socket.emit(event, new Object[] {payload}, args -> answer.complete((JSONObject) args[0]));
    return answer.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS);
  }

  static JSONObject room(String room) {
    try {
      return new JSONObject().put("room", room);
    } catch (JSONException e) {
      throw new AssertionError(e);
    }
  }

  static String token(String subject) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
          .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build());
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
