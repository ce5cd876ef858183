package dev.switchboard.sample.chat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;

/** Official Java clients of the chat, with tokens of the test secret; closes them all. */
final class ChatClients implements AutoCloseable {
  static final String SECRET = "chat-sample-test-secret-0123456789abcdef";

  private final int port;
  private final String transport;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Clients over WebSocket. */
  ChatClients(int port) {
    this(port, "websocket");
  }

  /** Clients over {@code transport} only ({@code polling} or {@code websocket}). */
  ChatClients(int port, String transport) {
    this.port = port;
    this.transport = transport;
  }

  static String token(String user, Duration lifetime, String secret) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(user)
          .claim("name", user).expirationTime(Date.from(Instant.now().plus(lifetime))).build());
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String token(String user) {
    return token(user, Duration.ofMinutes(5), SECRET);
  }

  /** A socket of {@code /chat} presenting {@code token}, not yet connected. */
  Socket socket(String token) {
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false)
        .setTransports(new String[] {transport}).setTimeout(5_000).build();
    options.auth = Map.of("token", token);
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port + "/chat"), options);
    sockets.add(socket);
    return socket;
  }

  /** A connected socket of {@code user}. */
  Socket connect(String user) {
    Socket socket = socket(token(user));
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(new AssertionError("connect_error: " + args[0])));
    socket.connect();
    connected.orTimeout(5, TimeUnit.SECONDS).join();
    return socket;
  }

  /** The Socket.IO CONNECT_ERROR the server refuses {@code token} with: {@code {message, data: {code}}}. */
  JSONObject refusal(String token) {
    return (JSONObject) connectError(token);
  }

  /** What the client's connect_error gives when connecting with {@code token}: a refusal, or a transport's error. */
  Object connectError(String token) {
    Socket socket = socket(token);
    CompletableFuture<Object> error = new CompletableFuture<>();
    socket.once(Socket.EVENT_CONNECT_ERROR, args -> error.complete(args[0]));
    socket.once(Socket.EVENT_CONNECT, args -> error.completeExceptionally(new AssertionError("connected with " + token)));
    socket.connect();
    return error.orTimeout(5, TimeUnit.SECONDS).join();
  }

  /** Emits {@code event} with {@code payload} and waits for the acknowledgement. */
  static JSONObject call(Socket socket, String event, JSONObject payload) {
    CompletableFuture<Object[]> answer = new CompletableFuture<>();
    socket.emit(event, new Object[] {payload}, answer::complete);
    try {
      return (JSONObject) answer.orTimeout(5, TimeUnit.SECONDS).join()[0];
    } catch (CompletionException e) {
      throw new AssertionError("no answer to " + event, e.getCause());
    }
  }

  @Override
  public void close() {
    sockets.forEach(Socket::close);
  }
}
