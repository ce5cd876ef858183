package dev.switchboard.engineio;

import static dev.switchboard.engineio.EngineHandshakeTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testkit.EngineTestServer;
import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.RawConnection;
import dev.switchboard.testkit.WsClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The WebSocket transport and the upgrade from polling, against an echoing Engine.IO server. */
class EngineWebSocketTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String WS = "EIO=4&transport=websocket";

  private EngineTestServer server;
  private PollingClient client;

  private void start(EngineIoOptions.Builder options) {
    server = EngineTestServer.start(options.build());
    client = new PollingClient(server.port(), server.path());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private WsClient open() throws Exception {
    WsClient ws = WsClient.connect(server.port(), server.path(), WS);
    assertThat(ws.nextText()).startsWith("0{");
    return ws;
  }

  @Test
  void text_and_binary_messages_are_echoed_one_packet_per_frame() throws Exception {
    start(EngineIoOptions.builder());
    try (WsClient ws = open()) {
      ws.send("4hello");
      assertThat(ws.nextText()).isEqualTo("4hello");

      ws.send(new byte[] {1, 2, 3, 4});
      assertThat(ws.nextBinary()).containsExactly(1, 2, 3, 4);

      ws.send("4héllo €");
      assertThat(ws.nextText()).isEqualTo("4héllo €");
    }
  }

  @Test
  void an_invalid_packet_closes_the_connection() throws Exception {
    start(EngineIoOptions.builder());
    try (WsClient ws = open()) {
      ws.send("abc");
      assertThat(ws.closed()).succeedsWithin(WAIT).as("closed with a close frame").isEqualTo(1000);
      assertThat(server.nextClose(WAIT).reason()).isEqualTo(CloseReason.PARSE_ERROR);
    }
  }

  @Test
  void a_close_packet_closes_the_connection() throws Exception {
    start(EngineIoOptions.builder());
    try (WsClient ws = open()) {
      ws.send("1");
      assertThat(ws.closed()).succeedsWithin(WAIT);
      assertThat(server.nextClose(WAIT).reason()).isEqualTo(CloseReason.TRANSPORT_CLOSE);
    }
  }

  @Test
  void a_server_side_close_sends_a_normal_closure() throws Exception {
    start(EngineIoOptions.builder());
    try (WsClient ws = open()) {
      server.engine().close();
      assertThat(ws.closed()).succeedsWithin(WAIT).isEqualTo(1000);
      assertThat(server.nextClose(WAIT).reason()).isEqualTo(CloseReason.SERVER_SHUTTING_DOWN);
    }
  }

  // ---- maxHttpBufferSize

  @Test
  void a_message_at_max_http_buffer_size_is_accepted() throws Exception {
    start(EngineIoOptions.builder().maxHttpBufferSize(1000));
    try (WsClient ws = open()) {
      String message = "4" + "x".repeat(999);
      ws.send(message);
      assertThat(ws.nextText()).isEqualTo(message);

      byte[] binary = new byte[1000];
      ws.send(binary);
      assertThat(ws.nextBinary()).hasSize(1000);
    }
  }

  @Test
  void a_message_over_max_http_buffer_size_closes_with_1009() throws Exception {
    start(EngineIoOptions.builder().maxHttpBufferSize(1000));
    try (WsClient ws = open()) {
      ws.send("4" + "x".repeat(1000));
      assertThat(ws.closed()).succeedsWithin(WAIT).isEqualTo(1009);
      assertThat(server.nextClose(WAIT).reason()).isEqualTo(CloseReason.TRANSPORT_ERROR);
      assertThat(server.received()).isEmpty();
    }
  }

  @Test
  void a_binary_message_over_max_http_buffer_size_closes_with_1009() throws Exception {
    start(EngineIoOptions.builder().maxHttpBufferSize(1000));
    try (WsClient ws = open()) {
      ws.send(new byte[1001]);
      assertThat(ws.closed()).succeedsWithin(WAIT).isEqualTo(1009);
    }
  }

  @Test
  void a_fragmented_message_at_max_http_buffer_size_is_accepted() throws Exception {
    start(EngineIoOptions.builder().maxHttpBufferSize(1000));
    try (WsClient ws = open()) {
      ws.sendFragments("4" + "a".repeat(499), "b".repeat(500));
      assertThat(ws.nextText()).isEqualTo("4" + "a".repeat(499) + "b".repeat(500));
    }
  }

  @Test
  void a_fragmented_message_over_max_http_buffer_size_closes_with_1009() throws Exception {
    start(EngineIoOptions.builder().maxHttpBufferSize(1000));
    try (WsClient ws = open()) {
      ws.sendFragments("4" + "a".repeat(599), "b".repeat(600));
      assertThat(ws.closed()).succeedsWithin(WAIT).isEqualTo(1009);
      assertThat(server.nextClose(WAIT).reason()).isEqualTo(CloseReason.TRANSPORT_ERROR);
      assertThat(server.received()).isEmpty();
    }
  }

  // ---- upgrade from polling

  @Test
  void upgrade_probe_noop_for_the_pending_get_then_messages_flow_over_the_websocket() throws Exception {
    start(EngineIoOptions.builder());
    String sid = client.handshake().sid();
    CompletableFuture<HttpResponse<String>> pendingGet = client.pollAsync(sid);
    await().atMost(WAIT).until(() -> server.hasPendingGet(sid));

    try (WsClient ws = WsClient.connect(server.port(), server.path(), WS + "&sid=" + sid)) {
      ws.send("2probe");
      assertThat(ws.nextText()).isEqualTo("3probe");
      assertThat(pendingGet).succeedsWithin(WAIT).extracting(HttpResponse::body).isEqualTo("6");

      ws.send("5");
      assertThat(server.upgraded().poll(5, TimeUnit.SECONDS)).isEqualTo(sid);
      ws.send("4hello");
      assertThat(ws.nextText()).isEqualTo("4hello");
      server.session(sid).send("pushed");
      assertThat(ws.nextText()).isEqualTo("4pushed");
      assertThat(server.session(sid).transport()).isEqualTo(Transport.WEBSOCKET);

      // The polling transport is gone.
      assertError(client.poll(sid), 3, "Bad request");
    }
  }

  @Test
  void a_get_after_the_probe_is_answered_with_a_noop_at_once() throws Exception {
    start(EngineIoOptions.builder());
    String sid = client.handshake().sid();
    try (WsClient ws = WsClient.connect(server.port(), server.path(), WS + "&sid=" + sid)) {
      ws.send("2probe");
      assertThat(ws.nextText()).isEqualTo("3probe");
      assertThat(client.poll(sid).body()).isEqualTo("6");
      ws.send("5");
      ws.send("4hello");
      assertThat(ws.nextText()).isEqualTo("4hello");
    }
  }

  @Test
  void messages_queued_for_polling_move_to_the_websocket_on_upgrade() throws Exception {
    start(EngineIoOptions.builder());
    String sid = client.handshake().sid();
    try (WsClient ws = WsClient.connect(server.port(), server.path(), WS + "&sid=" + sid)) {
      ws.send("2probe");
      assertThat(ws.nextText()).isEqualTo("3probe");
      server.session(sid).send("queued");
      ws.send("5");
      assertThat(ws.nextText()).isEqualTo("4queued");
    }
  }

  @Test
  void a_second_websocket_after_the_upgrade_is_accepted_then_closed_and_the_first_keeps_working() throws Exception {
    start(EngineIoOptions.builder());
    String sid = client.handshake().sid();
    try (WsClient ws = WsClient.connect(server.port(), server.path(), WS + "&sid=" + sid)) {
      ws.send("2probe");
      assertThat(ws.nextText()).isEqualTo("3probe");
      ws.send("5");
      assertThat(server.upgraded().poll(5, TimeUnit.SECONDS)).isEqualTo(sid);

      // As in Node: 101, then a close frame without a status code.
      try (RawConnection second = RawConnection.webSocket(server.port(), server.path() + "?" + WS + "&sid=" + sid)) {
        assertThat(second.readAnswer().status()).isEqualTo(101);
        assertThat(second.readFrame().toString()).isEqualTo("close 1005");
        assertThat(second.closedByServer()).isTrue();
      }

      ws.send("4still here");
      assertThat(ws.nextText()).isEqualTo("4still here");
    }
  }

  @Test
  void an_upgrade_not_completed_within_upgrade_timeout_closes_the_probe_and_polling_goes_on() throws Exception {
    start(EngineIoOptions.builder().upgradeTimeout(Duration.ofMillis(200)));
    String sid = client.handshake().sid();
    try (WsClient ws = WsClient.connect(server.port(), server.path(), WS + "&sid=" + sid)) {
      long opened = System.nanoTime();
      ws.send("2probe");
      assertThat(ws.nextText()).isEqualTo("3probe");

      assertThat(ws.closed()).succeedsWithin(WAIT);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(ws.closedAtNanos() - opened);
      // The timeout starts on the server just before the client sees the handshake: it may look a
      // little short, and be late on a busy machine.
      assertThat(elapsedMs).as("probe closed %d ms after opening", elapsedMs).isBetween(170L, 350L);
    }
    assertThat(server.session(sid).isOpen()).isTrue();
    assertThat(client.push(sid, "4still polling").body()).isEqualTo("ok");
    assertThat(client.poll(sid).body()).isEqualTo("4still polling");
  }

  @Test
  void a_wrong_packet_during_the_probe_cancels_the_upgrade() throws Exception {
    start(EngineIoOptions.builder());
    String sid = client.handshake().sid();
    try (WsClient ws = WsClient.connect(server.port(), server.path(), WS + "&sid=" + sid)) {
      ws.send("5");
      assertThat(ws.closed()).succeedsWithin(WAIT);
    }
    assertThat(server.session(sid).transport()).isEqualTo(Transport.POLLING);
    assertThat(client.push(sid, "4polling").body()).isEqualTo("ok");
    assertThat(client.poll(sid).body()).isEqualTo("4polling");
  }
}
