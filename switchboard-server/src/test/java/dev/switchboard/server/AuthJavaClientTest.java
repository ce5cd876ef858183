package dev.switchboard.server;

import static dev.switchboard.server.StandaloneClients.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.socketio.DisconnectReason;
import io.socket.client.Socket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Authentication with the Java client, authenticated SSE streams, and the authorization webhook. */
class AuthJavaClientTest {
  private static final String SECRET = AuthNodeClientTest.SECRET;

  private SwitchboardApp app;
  private final StandaloneClients clients = new StandaloneClients(() -> app.port());
  private final HttpClient http = HttpClient.newHttpClient();
  private com.sun.net.httpserver.HttpServer backend;

  @AfterEach
  void stop() {
    clients.close();
    if (app != null) {
      app.close();
    }
    if (backend != null) {
      backend.stop(0);
    }
  }

  private void start(Map<String, String> extra) {
    ConfigValues values = TestApps.values(Map.of("jwt-secret", SECRET, "jwt-clock-skew", "0", "auth-cookie", "sb_token"));
    extra.forEach((key, value) -> values.set(key, value, "test"));
    app = SwitchboardApp.start(ServerConfig.from(values));
  }

  static String token(String subject, Duration lifetime) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
          .claim("name", subject.toUpperCase()).expirationTime(Date.from(Instant.now().plus(lifetime))).build());
      jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static JSONObject join(Socket socket, String room) throws Exception {
    return call(socket, "room:join", new JSONObject().put("room", room));
  }

  @Test
  void goodTokenJoinsItsUserRoomAndBadOnesAreRefusedWithTheirCode() throws Exception {
    start(Map.of());
    List<DisconnectReason> reasons = new CopyOnWriteArrayList<>();
    app.io().onConnection(s -> s.onDisconnect((reason, description) -> reasons.add(reason)));
    clients.connect(token("ada", Duration.ofMinutes(5)));
    await().atMost(Duration.ofSeconds(5)).until(() -> app.io().localRoomSizes().join().getOrDefault("user:ada", 0) == 1);

    Socket expired = clients.socket(token("eve", Duration.ofSeconds(-30)));
    CompletableFuture<JSONObject> error = new CompletableFuture<>();
    expired.once(Socket.EVENT_CONNECT_ERROR, args -> error.complete((JSONObject) args[0]));
    expired.connect();
    JSONObject refusal = error.orTimeout(5, TimeUnit.SECONDS).join();
    assertThat(refusal.getJSONObject("data").getString("code")).isEqualTo("TOKEN_EXPIRED");
    assertThat(app.io().localRoomSizes().join()).doesNotContainKey("user:eve");
  }

  @Test
  void withoutRefreshTheServerDisconnectsForTokenExpired() {
    start(Map.of("auth-expiry-warning", "500ms"));
    List<DisconnectReason> reasons = new CopyOnWriteArrayList<>();
    app.io().onConnection(s -> s.onDisconnect((reason, description) -> reasons.add(reason)));
    Duration lifetime = Duration.ofMillis(1500);
    Instant expiry = Instant.now().plus(lifetime);
    Socket socket = clients.socket(token("kim", lifetime));
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<String> closed = new CompletableFuture<>();
    socket.on("auth:expiring", args -> seen.add("expiring"));
    socket.on("auth:expired", args -> seen.add("expired:" + ((JSONObject) args[0]).optString("code")));
    socket.on(Socket.EVENT_DISCONNECT, args -> closed.complete(String.valueOf(args[0])));
    socket.connect();
    assertThat(closed.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("io server disconnect");
    Instant at = Instant.now();
    // exp has second precision: the token expires within the second before `expiry`.
    assertThat(at).isAfter(expiry.minusSeconds(1)).isBefore(expiry.plusMillis(1500));
    assertThat(seen).containsExactly("expiring", "expired:TOKEN_EXPIRED");
    await().atMost(Duration.ofSeconds(5)).until(() -> reasons.contains(DisconnectReason.TOKEN_EXPIRED));
    assertThat(DisconnectReason.TOKEN_EXPIRED.text()).isEqualTo("token expired");
  }

  @Test
  void sseWithTokenQueryOrCookieFollowsTheUserRoomAndIsRefusedWithout() throws Exception {
    start(Map.of());
    String base = "http://127.0.0.1:" + app.port() + "/sse?rooms=lobby";
    HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(new JSONObject(none.body()).getString("code")).isEqualTo("AUTH_REQUIRED");
    HttpResponse<String> expired = http.send(HttpRequest.newBuilder(URI.create(base + "&token=" + token("ada", Duration.ofSeconds(-30))))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(expired.statusCode()).isEqualTo(401);
    assertThat(new JSONObject(expired.body()).getString("code")).isEqualTo("TOKEN_EXPIRED");
    HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + app.port() + "/sse?rooms=user:bob&token=" + token("ada", Duration.ofMinutes(5)))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(new JSONObject(foreign.body()).getString("code")).isEqualTo("FORBIDDEN_ROOM");

    expectNote(HttpRequest.newBuilder(URI.create(base + "&token=" + token("ada", Duration.ofMinutes(5)))).build(), "ada");
    expectNote(HttpRequest.newBuilder(URI.create(base)).header("Cookie", "other=1; sb_token=" + token("bea", Duration.ofMinutes(5)))
        .build(), "bea");
  }

  @Test
  void anSseStreamEndsWhenItsTokenExpires() throws Exception {
    start(Map.of());
    Duration lifetime = Duration.ofMillis(1500);
    Instant expiry = Instant.now().plus(lifetime);
    HttpResponse<java.io.InputStream> response = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + app.port() + "/sse?rooms=lobby&token=" + token("lea", lifetime))).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(5)).until(() -> app.io().localRoomSizes().join().getOrDefault("user:lea", 0) == 1);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      CompletableFuture<List<String>> untilEnd = CompletableFuture.supplyAsync(() -> {
        List<String> read = new ArrayList<>();
        try {
          for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            read.add(line);
          }
          return read;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      List<String> read = untilEnd.orTimeout(10, TimeUnit.SECONDS).join();
      Instant ended = Instant.now();
      // exp has second precision: the token expires within the second before `expiry`.
      assertThat(ended).isAfter(expiry.minusSeconds(1)).isBefore(expiry.plusMillis(1500));
      int at = read.indexOf("event: auth:expired");
      assertThat(at).as("the stream says why it ends: %s", read).isPositive();
      assertThat(read.get(at + 1)).startsWith("data:").contains("\"code\":\"TOKEN_EXPIRED\"");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> !app.io().localRoomSizes().join().containsKey("user:lea"));
  }

  /** Opens the stream, then sends {@code note} to the user's room and reads it from the stream. */
  private void expectNote(HttpRequest request, String user) throws Exception {
    HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      await().atMost(Duration.ofSeconds(5)).until(() -> app.io().localRoomSizes().join().getOrDefault("user:" + user, 0) == 1);
      app.io().to("user:" + user).emit("note", Map.of("for", user));
      CompletableFuture<String> data = CompletableFuture.supplyAsync(() -> {
        try {
          String line;
          boolean note = false;
          while ((line = lines.readLine()) != null) {
            if (line.equals("event: note")) {
              note = true;
            } else if (note && line.startsWith("data:")) {
              return line;
            }
          }
          return null;
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      assertThat(data.orTimeout(5, TimeUnit.SECONDS).join()).contains("\"for\":\"" + user + "\"");
    }
  }

  @Test
  void webhookDecidesJoinsAndPublishesIsCachedAndFailsClosedWhenDown() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    List<String> questions = new CopyOnWriteArrayList<>();
    backend = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext("/authorize", exchange -> {
      try {
        decide(exchange, asked, questions);
      } catch (org.json.JSONException e) {
        throw new java.io.IOException(e);
      }
    });
    backend.start();
    start(Map.of("authz-webhook", "http://127.0.0.1:" + backend.getAddress().getPort() + "/authorize",
        "authz-cache-ttl", "1m", "authz-timeout", "1s"));
    webhookScenario(asked, questions);
  }

  /** The backend: allows rooms starting with {@code ok:}, except publishing to {@code ok:readonly}; slow to answer joins of it. */
  private static void decide(com.sun.net.httpserver.HttpExchange exchange, AtomicInteger asked, List<String> questions)
      throws java.io.IOException, org.json.JSONException {
      asked.incrementAndGet();
      JSONObject question = new JSONObject(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      questions.add(question.getString("action") + " " + question.getString("room") + " "
          + question.getJSONObject("principal").getString("sub"));
      String room = question.getString("room");
      if (room.equals("ok:readonly") && question.getString("action").equals("join")) {
        try {
          Thread.sleep(300);   // a slow backend: the join is still undecided when the publish arrives
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      boolean allow = room.startsWith("ok:") && !(room.equals("ok:readonly") && question.getString("action").equals("publish"));
      byte[] body = new JSONObject().put("allow", allow).put("message", "backend says no").toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
  }

  private void webhookScenario(AtomicInteger asked, List<String> questions) throws Exception {
    Socket socket = clients.connect(token("ada", Duration.ofMinutes(5)));

    assertThat(join(socket, "ok:1").getBoolean("ok")).isTrue();
    JSONObject denied = join(socket, "secret");
    assertThat(denied.getJSONObject("error").getString("code")).isEqualTo("FORBIDDEN_ROOM");
    assertThat(denied.getJSONObject("error").getString("message")).isEqualTo("backend says no");
    assertThat(join(socket, "ok:1").getBoolean("ok")).isTrue();
    assertThat(asked.get()).as("the second join of ok:1 is answered from the cache").isEqualTo(2);
    assertThat(questions).containsExactly("join ok:1 ada", "join secret ada");

    // A publish sent right after a join, without waiting: handled in order, each authorized.
    CompletableFuture<JSONObject> joined = new CompletableFuture<>();
    CompletableFuture<JSONObject> published = new CompletableFuture<>();
    socket.emit("room:join", new Object[] {new JSONObject().put("room", "ok:readonly")}, args -> joined.complete((JSONObject) args[0]));
    socket.emit("room:publish", new Object[] {new JSONObject().put("room", "ok:readonly").put("event", "e").put("data", 1)},
        args -> published.complete((JSONObject) args[0]));
    assertThat(joined.orTimeout(5, TimeUnit.SECONDS).join().getBoolean("ok")).isTrue();
    assertThat(published.orTimeout(5, TimeUnit.SECONDS).join().getJSONObject("error").getString("code")).isEqualTo("FORBIDDEN_ROOM");
    assertThat(call(socket, "room:publish", new JSONObject().put("room", "ok:1").put("event", "e").put("data", 1))
        .getBoolean("ok")).isTrue();

    backend.stop(0);
    backend = null;
    JSONObject down = join(socket, "ok:2");
    assertThat(down.getJSONObject("error").getString("code")).isEqualTo("AUTHZ_UNAVAILABLE");
    assertThat(join(socket, "ok:1").getBoolean("ok")).as("cached answers still apply").isTrue();
    assertThat(socket.connected()).isTrue();
  }
}
