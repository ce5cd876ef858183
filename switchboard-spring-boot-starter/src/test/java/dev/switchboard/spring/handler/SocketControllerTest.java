package dev.switchboard.spring.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.Socket;
import dev.switchboard.spring.Tokens;
import dev.switchboard.spring.server.SwitchboardServer;
import dev.switchboard.testkit.JavaClients;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Annotated handlers on a namespace (the controller found by the starter's scan of the application's
 * package), reached by the official Java client through Spring Security's JwtDecoder.
 */
@SpringBootTest(classes = SocketControllerTest.App.class, properties = {
    "switchboard.host=127.0.0.1", "switchboard.port=0", "switchboard.drain-window=0", "switchboard.drain-timeout=2s",
    "switchboard.jwt-clock-skew=0"})
class SocketControllerTest {

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    JwtDecoder jwtDecoder() {
      return Tokens.decoder();
    }

    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  record Greeting(@NotBlank String name, @Min(1) @Max(3) int times) {}

  record Reply(String text, String user, boolean virtualThread) {}

  @SocketController("/greetings")
  static class GreetingController {
    final List<String> connected = new CopyOnWriteArrayList<>();
    final List<String> disconnected = new CopyOnWriteArrayList<>();

    @OnConnect
    void connect(Socket socket, VerifiedToken user) {
      connected.add(user.subject() + "@" + socket.namespace().name());
    }

    @OnEvent("greet")
    Reply greet(@Valid Greeting greeting, VerifiedToken user) {
      return new Reply(("hi " + greeting.name() + "! ").repeat(greeting.times()).trim(), user.subject(),
          Thread.currentThread().isVirtual());
    }

    @OnEvent("whoami")
    String whoami() {
      return SecurityContextHolder.getContext().getAuthentication().getName();
    }

    @OnEvent("later")
    CompletableFuture<Reply> later(Greeting greeting) {
      return CompletableFuture.supplyAsync(() -> new Reply("later " + greeting.name(), "", false));
    }

    @OnEvent("manual")
    void manual(Greeting greeting, Ack ack) {
      ack.send("first", greeting.name());
    }

    @OnEvent("refuse")
    Object refuse() {
      throw new EventException("NOT_FOUND", "no such greeting", Map.of("id", 7));
    }

    @OnEvent("crash")
    Object crash() {
      throw new IllegalStateException("a bug in the handler");
    }

    @OnDisconnect
    void disconnect(VerifiedToken user, DisconnectReason reason) {
      disconnected.add(user.subject() + ":" + reason.text());
    }
  }

  @Autowired
  SwitchboardServer server;
  @Autowired
  GreetingController controller;
  @Autowired
  MeterRegistry meters;

  private JavaClients clients;

  private io.socket.client.Socket connect(String nsp, String token) {
    clients = clients != null ? clients : new JavaClients("http://127.0.0.1:" + server.port());
    io.socket.client.IO.Options options = JavaClients.options(JavaClients.Mode.WEBSOCKET);
    options.auth = Map.of("token", token);
    return JavaClients.connectNow(clients.socket(nsp, options));
  }

  private JSONObject connectError(String nsp, Map<String, String> auth) {
    clients = clients != null ? clients : new JavaClients("http://127.0.0.1:" + server.port());
    io.socket.client.IO.Options options = JavaClients.options(JavaClients.Mode.WEBSOCKET);
    options.auth = auth;
    io.socket.client.Socket socket = clients.socket(nsp, options);
    CompletableFuture<JSONObject> error = new CompletableFuture<>();
    socket.once(io.socket.client.Socket.EVENT_CONNECT_ERROR, args -> error.complete((JSONObject) args[0]));
    socket.connect();
    return error.orTimeout(5, TimeUnit.SECONDS).join();
  }

  private static JSONObject call(io.socket.client.Socket socket, String event, Object payload) {
    return (JSONObject) JavaClients.emitWithAck(socket, Duration.ofSeconds(5), event, payload)[0];
  }

  @AfterEach
  void close() {
    if (clients != null) {
      clients.close();
    }
  }

  @Test
  void theReturnedRecordAnswersTheAckFromAVirtualThread() throws Exception {
    io.socket.client.Socket socket = connect("/greetings", Tokens.token("ada", Duration.ofMinutes(5)));
    JSONObject reply = call(socket, "greet", new JSONObject().put("name", "bob").put("times", 2));
    assertThat(reply.getString("text")).isEqualTo("hi bob! hi bob!");
    assertThat(reply.getString("user")).isEqualTo("ada");
    assertThat(reply.getBoolean("virtualThread")).isTrue();
    assertThat(controller.connected).contains("ada@/greetings");
    assertThat(JavaClients.emitWithAck(socket, Duration.ofSeconds(5), "whoami", new JSONObject())).containsExactly("ada");

    assertThat(call(socket, "later", new JSONObject().put("name", "cy").put("times", 1)).getString("text")).isEqualTo("later cy");
    Object[] manual = JavaClients.emitWithAck(socket, Duration.ofSeconds(5), "manual", new JSONObject().put("name", "di").put("times", 1));
    assertThat(manual).containsExactly("first", "di");
  }

  @Test
  void invalidPayloadsAreAnsweredInvalidRequestWithTheirDetails() throws Exception {
    io.socket.client.Socket socket = connect("/greetings", Tokens.token("ada", Duration.ofMinutes(5)));
    JSONObject invalid = call(socket, "greet", new JSONObject().put("name", " ").put("times", 9));
    assertThat(invalid.getBoolean("ok")).isFalse();
    JSONObject error = invalid.getJSONObject("error");
    assertThat(error.getString("code")).isEqualTo("INVALID_REQUEST");
    JSONArray details = error.getJSONArray("details");
    assertThat(details.length()).isEqualTo(2);
    assertThat(details.getJSONObject(0).getString("field")).isEqualTo("name");
    assertThat(details.getJSONObject(1).getString("field")).isEqualTo("times");
    assertThat(error.getString("message")).contains("times must be less than or equal to 3");

    JSONObject unbound = call(socket, "greet", new JSONObject().put("name", "bob").put("times", "many"));
    assertThat(unbound.getJSONObject("error").getString("code")).isEqualTo("INVALID_REQUEST");
    assertThat(unbound.getJSONObject("error").getJSONArray("details").getJSONObject(0).getString("field")).isEqualTo("times");
  }

  @Test
  void failuresAreAnsweredAndTheSocketStaysConnected() throws Exception {
    io.socket.client.Socket socket = connect("/greetings", Tokens.token("ada", Duration.ofMinutes(5)));
    JSONObject refused = call(socket, "refuse", new JSONObject()).getJSONObject("error");
    assertThat(refused.getString("code")).isEqualTo("NOT_FOUND");
    assertThat(refused.getString("message")).isEqualTo("no such greeting");
    assertThat(refused.getJSONObject("details").getInt("id")).isEqualTo(7);

    JSONObject crashed = call(socket, "crash", new JSONObject()).getJSONObject("error");
    assertThat(crashed.getString("code")).isEqualTo("INTERNAL");
    assertThat(crashed.getString("message")).doesNotContain("a bug");

    assertThat(socket.connected()).isTrue();
    assertThat(call(socket, "greet", new JSONObject().put("name", "eve").put("times", 1)).getString("text")).isEqualTo("hi eve!");
  }

  @Test
  void handlersBelongToTheirNamespaceAndDisconnectsAreHandled() throws Exception {
    io.socket.client.Socket main = connect("/", Tokens.token("fay", Duration.ofMinutes(5)));
    io.socket.client.Socket greetings = connect("/greetings", Tokens.token("gus", Duration.ofMinutes(5)));
    // The connect handlers run on the socket's handler thread, which the client's connect event does not wait for.
    await().atMost(Duration.ofSeconds(5)).until(() -> controller.connected.contains("gus@/greetings"));
    assertThat(controller.connected).noneMatch(entry -> entry.startsWith("fay"));
    greetings.disconnect();
    await().atMost(Duration.ofSeconds(5)).until(() -> controller.disconnected.contains("gus:client namespace disconnect"));
    assertThat(main.connected()).isTrue();
  }

  @Test
  void handshakesAreAuthenticatedByTheJwtDecoderWithSwitchboardsCodes() throws Exception {
    assertThat(connectError("/greetings", Map.of()).getJSONObject("data").getString("code")).isEqualTo("AUTH_REQUIRED");
    assertThat(connectError("/greetings", Map.of("token", Tokens.token("ada", Duration.ofMinutes(5), "another-secret-of-at-least-32-bytes!")))
        .getJSONObject("data").getString("code")).isEqualTo("TOKEN_INVALID");
    assertThat(connectError("/", Map.of("token", Tokens.token("ada", Duration.ofMinutes(-5))))
        .getJSONObject("data").getString("code")).isEqualTo("TOKEN_EXPIRED");
    assertThat(connectError("/", Map.of("token", "not.a.jwt")).getJSONObject("data").getString("code")).isEqualTo("TOKEN_INVALID");
  }

  @Test
  void aSocketIsDisconnectedWhenItsTokenExpires() throws Exception {
    // exp has second precision: this token expires 1.5 to 2.5 s from now.
    io.socket.client.Socket socket = connect("/greetings", Tokens.token("joe", Duration.ofMillis(2500)));
    CompletableFuture<JSONObject> expired = new CompletableFuture<>();
    CompletableFuture<String> reason = new CompletableFuture<>();
    socket.once("auth:expired", args -> expired.complete((JSONObject) args[0]));
    socket.once(io.socket.client.Socket.EVENT_DISCONNECT, args -> reason.complete(String.valueOf(args[0])));
    assertThat(expired.orTimeout(5, TimeUnit.SECONDS).join().getString("code")).isEqualTo("TOKEN_EXPIRED");
    assertThat(reason.orTimeout(5, TimeUnit.SECONDS).join()).isEqualTo("io server disconnect");
    await().atMost(Duration.ofSeconds(5)).until(() -> controller.disconnected.contains("joe:token expired"));
  }

  @Test
  void switchboardMetersAreInTheApplicationsRegistry() throws Exception {
    io.socket.client.Socket socket = connect("/greetings", Tokens.token("hal", Duration.ofMinutes(5)));
    call(socket, "greet", new JSONObject().put("name", "ida").put("times", 1));
    await().atMost(Duration.ofSeconds(5)).until(() -> meters.find("switchboard.sockets").tag("namespace", "/greetings").gauge() != null
        && meters.find("switchboard.sockets").tag("namespace", "/greetings").gauge().value() >= 1);
    assertThat(meters.get("switchboard.events.received").functionCounter().count()).isPositive();
  }
}
