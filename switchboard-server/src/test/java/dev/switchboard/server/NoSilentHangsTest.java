package dev.switchboard.server;

import static dev.switchboard.server.StandaloneClients.call;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.socket.client.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The standalone server answers every request that asks for an answer: an event nothing handles
 * gets {@code UNKNOWN_EVENT}, a built-in handler that fails gets {@code INTERNAL} and one log line
 * with the socket id, in open mode and with authentication alike.
 */
class NoSilentHangsTest {
  private static final String SECRET = "no-silent-hangs-secret-of-at-least-32-bytes";

  private SwitchboardApp app;
  private final StandaloneClients clients = new StandaloneClients(() -> app.port());
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(RequestFailures.class)).detachAppender(logs);
    clients.close();
    if (app != null) {
      app.close();
    }
  }

  private void start(boolean authenticated) {
    logs.start();
    ((Logger) LoggerFactory.getLogger(RequestFailures.class)).addAppender(logs);
    app = TestApps.start(authenticated ? Map.of("demo", "false", "jwt-secret", SECRET) : Map.of("demo", "false"));
  }

  @Test
  void anEventNothingHandlesIsAnsweredUnknownEvent() throws Exception {
    start(false);
    Socket client = clients.connect();
    JSONObject answer = call(client, "room:publsh", new JSONObject().put("room", "lobby"));
    assertThat(answer.getBoolean("ok")).isFalse();
    assertThat(answer.getJSONObject("error").getString("code")).isEqualTo("UNKNOWN_EVENT");
    assertThat(answer.getJSONObject("error").getString("message")).contains("room:publsh");
    client.emit("no-answer-wanted", 1);
    assertThat(call(client, "room:join", new JSONObject().put("room", "lobby")).getBoolean("ok"))
        .as("the connection lives on").isTrue();
  }

  @Test
  void anEventNothingHandlesIsAnsweredUnknownEventWhenAuthenticated() throws Exception {
    start(true);
    Socket client = clients.connect(token("alice"));
    JSONObject answer = call(client, "nope", 1);
    assertThat(answer.getJSONObject("error").getString("code")).isEqualTo("UNKNOWN_EVENT");
  }

  @Test
  void aBuiltInHandlerThatFailsAnswersInternalAndLogsOnceWithTheSocketId() throws Exception {
    start(false);
    List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
    // Two handlers on the built-in events' own path: one throws, one's future fails.
    app.io().onConnection(socket -> {
      ids.add(socket.id());
      BuiltInEvents.handle(socket, "test:throws", event -> {
        throw new IllegalStateException("thrown by the handler");
      });
      BuiltInEvents.handle(socket, "test:fails-later", event -> CompletableFuture.supplyAsync(() -> {
        throw new IllegalStateException("failed later");
      }));
    });
    Socket client = clients.connect();
    for (String event : List.of("test:throws", "test:fails-later")) {
      JSONObject answer = call(client, event, new JSONObject());
      assertThat(answer.getBoolean("ok")).isFalse();
      assertThat(answer.getJSONObject("error").getString("code")).isEqualTo("INTERNAL");
      assertThat(answer.getJSONObject("error").getString("message")).contains(event).doesNotContain("thrown", "failed later");
    }
    assertThat(call(client, "room:join", new JSONObject().put("room", "lobby")).getBoolean("ok")).isTrue();
    assertThat(logs.list).hasSize(2).allSatisfy(line -> assertThat(line.getFormattedMessage()).contains(ids.get(0)));
    assertThat(logs.list).extracting(line -> line.getThrowableProxy().getMessage())
        .containsExactly("thrown by the handler", "failed later");
  }

  private static String token(String subject) throws Exception {
    com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
        new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
        new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(subject)
            .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(3600))).build());
    jwt.sign(new com.nimbusds.jose.crypto.MACSigner(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return jwt.serialize();
  }
}
