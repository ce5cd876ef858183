package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.http.HttpServer;
import dev.switchboard.testkit.EngineTestServer;
import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.WsClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An {@link EngineIoServer} used on its own, without Socket.IO, mounted at {@code /engine.io/}. */
class EngineIoServerTest {
  private EngineIoServer engine;
  private HttpServer http;
  private PollingClient client;
  private final CopyOnWriteArrayList<String> transports = new CopyOnWriteArrayList<>();
  private final Map<String, EngineSession> sessions = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    engine = EngineIoServer.create(EngineIoOptions.defaults());
    engine.onConnection(session -> {
      transports.add(session.transport().wireName());
      sessions.put(session.id(), session);
      session.listener(new EngineSession.Listener() {
        @Override
        public void onMessage(EngineSession s, String text) {
          s.send("echo: " + text);
        }

        @Override
        public void onBinary(EngineSession s, byte[] data) {
          s.send(data);
        }
      });
    });
    http = engine.mountOn(HttpServer.builder().host("127.0.0.1").port(0).workerThreads(1)).build().start();
    client = new PollingClient(http.port(), "/engine.io/");
  }

  @AfterEach
  void stop() {
    client.close();
    engine.close();
    http.close();
  }

  @Test
  void it_is_served_at_the_default_path() {
    assertThat(engine.options().path()).isEqualTo("/engine.io/");
    assertThat(client.handshake().sid()).isNotBlank();
    assertThat(new PollingClient(http.port(), "/socket.io/").get("EIO=4&transport=polling").statusCode()).isEqualTo(404);
  }

  @Test
  void it_echoes_over_polling() {
    String sid = client.handshake().sid();
    assertThat(client.push(sid, "4hello\u001ebAQI=").body()).isEqualTo("ok");
    assertThat(client.poll(sid).body()).isEqualTo("4echo: hello\u001ebAQI=");
    assertThat(transports).containsExactly("polling");
  }

  @Test
  void it_echoes_over_websocket() throws Exception {
    try (WsClient ws = WsClient.connect(http.port(), "/engine.io/", "EIO=4&transport=websocket")) {
      assertThat(ws.nextText()).startsWith("0{");
      ws.send("4hello");
      assertThat(ws.nextText()).isEqualTo("4echo: hello");
      ws.send(new byte[] {9, 9});
      assertThat(ws.nextBinary()).containsExactly(9, 9);
    }
    assertThat(transports).containsExactly("websocket");
  }

  @Test
  void it_counts_its_sessions_and_closes_them_all() throws Exception {
    String sid = client.handshake().sid();
    try (WsClient ws = WsClient.connect(http.port(), "/engine.io/", "EIO=4&transport=websocket")) {
      assertThat(ws.nextText()).startsWith("0{");
      await().atMost(Duration.ofSeconds(5)).until(() -> engine.sessionCount() == 2);
      CompletableFuture<HttpResponse<String>> poll = client.pollAsync(sid);
      await().atMost(Duration.ofSeconds(5)).until(() -> EngineTestServer.hasPendingGet(sessions.get(sid)));

      engine.close();

      assertThat(poll).succeedsWithin(Duration.ofSeconds(5)).extracting(HttpResponse::body).isEqualTo("1");
      assertThat(ws.closed()).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(1000);
      await().atMost(Duration.ofSeconds(5)).until(() -> engine.sessionCount() == 0);
    }
  }

  @Test
  void messages_queued_for_a_client_that_is_not_polling_are_released_when_the_server_stops() {
    String sid = client.handshake().sid();
    client.push(sid, "4never collected");
    // Stopping now must release the queued echo: the leak detector fails this class otherwise.
  }
}
