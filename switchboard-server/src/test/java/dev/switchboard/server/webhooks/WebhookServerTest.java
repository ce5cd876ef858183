package dev.switchboard.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.webhooks.WebhookReceiver.Answer;
import dev.switchboard.socketio.DrainReport;
import dev.switchboard.testkit.WsClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.socket.client.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks of the standalone server with official Java clients and raw connections: the disconnect
 * reasons of a ping timeout and an expired token; a backend that hangs costs dropped events (counted)
 * and never a message to a client; a stop delivers the disconnections it causes before it returns,
 * and so does a drain, before it ends (not only when the server closes after it), with the counts in
 * the node's meters.
 */
class WebhookServerTest {
  static final String JWT_SECRET = "webhook-server-test-secret-of-32-bytes!!";
  static final String WEBHOOK_SECRET = "webhook-server-test-signing-secret";
  private static final Duration WAIT = Duration.ofSeconds(15);

  private WebhookReceiver receiver;
  private SwitchboardApp app;
  private StandaloneClients clients;

  @BeforeEach
  void startReceiver() {
    receiver = WebhookReceiver.start();
  }

  @AfterEach
  void stop() {
    if (clients != null) {
      clients.close();
    }
    if (app != null) {
      app.close();
    }
    receiver.close();
  }

  private void start(Map<String, String> extra) {
    Map<String, String> settings = new HashMap<>(Map.of("demo", "false", "jwt-secret", JWT_SECRET, "jwt-clock-skew", "0",
        "webhook-url", receiver.url() + "#events=*,publish@chat:*", "webhook-secret", WEBHOOK_SECRET,
        "webhook-batch-delay", "5ms"));
    settings.putAll(extra);
    app = TestApps.start(settings);
    clients = new StandaloneClients(app::port);
  }

  static String token(String subject, Duration valid) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
          .expirationTime(Date.from(Instant.now().plus(valid))).build());
      jwt.sign(new MACSigner(JWT_SECRET.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new AssertionError(e);
    }
  }

  private List<JsonNode> disconnectsOf(String user) {
    return receiver.delivered("disconnect").stream().filter(event -> event.path("data").path("user").asText().equals(user)).toList();
  }

  @Test
  void aPingTimeoutAndAnExpiredTokenAreReportedWithTheirReasons() throws Exception {
    start(Map.of("ping-interval", "300ms", "ping-timeout", "300ms", "auth-expiry-warning", "0"));
    try (WsClient silent = WsClient.connect(app.port(), "/socket.io/", "EIO=4&transport=websocket")) {
      assertThat(silent.nextText()).startsWith("0{");
      silent.send("40" + new JSONObject().put("token", token("quiet", Duration.ofHours(1))));
      assertThat(silent.nextText()).startsWith("40{");
      clients.connect(token("short", Duration.ofMillis(1500)));
      // The raw client never answers a ping; the other's token runs out.
      await().atMost(WAIT).until(() -> disconnectsOf("quiet").size() == 1 && disconnectsOf("short").size() == 1);
    }
    assertThat(disconnectsOf("quiet").get(0).path("data").path("reason").asText()).isEqualTo("ping timeout");
    assertThat(disconnectsOf("short").get(0).path("data").path("reason").asText()).isEqualTo("token expired");
    assertThat(receiver.delivered("connect")).extracting(event -> event.path("data").path("user").asText())
        .containsExactlyInAnyOrder("quiet", "short");
  }

  @Test
  void aBackendThatHangsCostsDroppedEventsAndNeverAMessageToAClient() throws Exception {
    CountDownLatch backendHangs = new CountDownLatch(1);
    receiver.answering(n -> Answer.after(backendHangs));
    start(Map.of("webhook-queue-size", "20", "webhook-batch-size", "5", "event-rate", "0", "user-event-rate", "0"));
    try {
      Socket sender = clients.connect(token("ada", Duration.ofHours(1)));
      Socket reader = clients.connect(token("bob", Duration.ofHours(1)));
      StandaloneClients.join(sender, "chat:1");
      StandaloneClients.join(reader, "chat:1");
      BlockingQueue<Object[]> inbox = StandaloneClients.inbox(reader, "chat");
      int messages = 300;
      long started = System.nanoTime();
      for (int n = 0; n < messages; n++) {
        sender.emit("room:publish", StandaloneClients.publication("chat:1", "chat", new JSONObject().put("n", n)));
      }
      List<Integer> got = new ArrayList<>();
      while (got.size() < messages) {
        Object[] args = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(args).as("message %d of %d", got.size(), messages).isNotNull();
        got.add(((JSONObject) args[0]).getInt("n"));
      }
      long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(got).as("every message, in order").isSorted().hasSize(messages);
      assertThat(tookMillis).as("%d messages through a server whose webhook backend hangs", messages).isLessThan(10_000);
      WebhookStats stats = app.webhooks().stats();
      assertThat(stats.queued()).as("the queue stays at its bound (plus the request in flight)").isLessThanOrEqualTo(25);
      assertThat(stats.dropped()).as("%d publish events and more did not fit", messages).isGreaterThanOrEqualTo(messages - 25);
      System.out.printf("webhooks with a hanging backend: %d messages to a client in %d ms; %s%n", messages, tookMillis, stats);
    } finally {
      backendHangs.countDown();
    }
  }

  @Test
  void stoppingDeliversTheDisconnectionsItCausesBeforeItReturns() throws Exception {
    start(Map.of("webhook-batch-delay", "30s"));
    int users = 20;
    for (int i = 0; i < users; i++) {
      StandaloneClients.join(clients.connect(token("user" + i, Duration.ofHours(1))), "doc:" + (i % 2));
    }
    assertThat(receiver.requests()).as("everything waits for the batch delay").isEmpty();
    app.close();
    app = null;
    assertThat(receiver.delivered("connect")).hasSize(users);
    assertThat(receiver.delivered("disconnect")).hasSize(users)
        .allSatisfy(event -> assertThat(event.path("data").path("reason").asText()).isEqualTo("server shutting down"));
    // Each user's own room (user:<id>) goes too: the user is offline everywhere.
    List<String> vacated = receiver.delivered("room.vacated").stream().map(event -> event.path("data").path("room").asText()).toList();
    assertThat(vacated).hasSize(users + 2).contains("doc:0", "doc:1", "user:user0", "user:user19");
    assertThat(receiver.delivered("presence.leave")).hasSize(users * 2);
  }

  @Test
  void aDrainDeliversWhatWaitsBeforeItEnds() throws Exception {
    start(Map.of("webhook-batch-delay", "30s", "drain-window", "1s", "drain-timeout", "15s"));
    int users = 20;
    for (int i = 0; i < users; i++) {
      StandaloneClients.join(clients.connect(token("user" + i, Duration.ofHours(1))), "doc:" + (i % 2));
    }
    assertThat(receiver.requests()).as("everything waits for the batch delay").isEmpty();
    DrainReport report = app.drain().toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(report.connections()).isEqualTo(users);
    assertThat(report.participantsFinished()).isTrue();
    // Before the server closes: the drain itself delivered what waited, its own disconnections included.
    assertThat(receiver.delivered("connect")).hasSize(users);
    assertThat(receiver.delivered("disconnect")).hasSize(users);
    assertThat(receiver.delivered("room.vacated")).hasSize(users + 2);
    assertThat(receiver.delivered("presence.leave")).hasSize(users * 2);

    MeterRegistry registry = app.meterRegistry().orElseThrow();
    assertThat(registry.get("switchboard.webhooks.events").tags("endpoint", "0", "result", "delivered").functionCounter().count())
        .isEqualTo(receiver.delivered().size());
    assertThat(registry.get("switchboard.webhooks.requests").tag("endpoint", "0").functionCounter().count())
        .isEqualTo(receiver.requests().size());
    assertThat(registry.get("switchboard.webhooks.queued").tag("endpoint", "0").gauge().value()).isZero();
    assertThat(registry.get("switchboard.webhooks.events").tags("endpoint", "0", "result", "dropped").functionCounter().count()).isZero();
  }
}
