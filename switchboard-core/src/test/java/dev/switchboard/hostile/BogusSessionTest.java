package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.hostile.HostileServer.Disconnect;
import dev.switchboard.hostile.HostileServer.PollingSession;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.WsClient;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests for sessions that are not the sender's to use: random, another transport's, expired;
 * overlapping polls; a request URI that does not decode. A random sid alone is tested in
 * EngineHandshakeTest, overlapping polls on a bare Engine.IO server in EnginePollingTest.
 */
class BogusSessionTest {
  private HostileServer server;
  private PollingClient client;

  @BeforeEach
  void start() {
    server = HostileServer.start();
    client = server.polling();
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void a_random_sid_is_unknown_on_every_transport() {
    String sid = UUID.randomUUID().toString();
    RawRequest.assertEngineError(client.poll(sid), 400, 1, "Session ID unknown");
    RawRequest.assertEngineError(client.push(sid, "42[\"ping\",1]"), 400, 1, "Session ID unknown");
    assertThat(RawRequest.get(server.server().port(), "/socket.io/?EIO=4&transport=websocket&sid=" + sid,
        RawRequest.WEBSOCKET_UPGRADE)).startsWith("HTTP/1.1 400 ").contains("Session ID unknown");
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @Test
  void a_websocket_sessions_sid_used_for_polling_is_refused_and_the_session_goes_on() throws Exception {
    try (WsClient ws = WsClient.connect(server.server().port(), "/socket.io/", "EIO=4&transport=websocket")) {
      String sid = PollingClient.parse(ws.nextText().substring(1)).get("sid").asText();
      ws.send("40");
      assertThat(ws.nextText()).startsWith("40{");

      RawRequest.assertEngineError(client.poll(sid), 400, 3, "Bad request");
      RawRequest.assertEngineError(client.push(sid, "42[\"ping\",\"hijack\"]"), 400, 3, "Bad request");

      ws.send("421[\"ping\",\"mine\"]");
      assertThat(ws.nextText()).isEqualTo("431[\"pong\",\"mine\"]");
    }
    server.assertBystanderUndisturbed();
  }

  @Test
  void an_expired_sid_is_unknown() {
    PollingSession session = server.pollingJoined(client);
    assertThat(client.push(session.sid(), "1").statusCode()).isEqualTo(200);
    assertThat(server.awaitDisconnect(session.socketId()).reason()).isEqualTo(DisconnectReason.TRANSPORT_CLOSE);

    RawRequest.assertEngineError(client.poll(session.sid()), 400, 1, "Session ID unknown");
    RawRequest.assertEngineError(client.push(session.sid(), "42[\"ping\",1]"), 400, 1, "Session ID unknown");
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @Test
  void duplicate_concurrent_polls_end_that_session_only() throws Exception {
    PollingSession session = server.pollingJoined(client);
    CompletableFuture<HttpResponse<String>> first = client.pollAsync(session.sid());
    CompletableFuture<HttpResponse<String>> second = client.pollAsync(session.sid());

    List<Integer> statuses = List.of(Await.result(first).statusCode(), Await.result(second).statusCode());
    assertThat(statuses).containsExactlyInAnyOrder(200, 400);
    Disconnect disconnect = server.awaitDisconnect(session.socketId());
    assertThat(disconnect.reason()).isEqualTo(DisconnectReason.TRANSPORT_ERROR);
    assertThat(disconnect.description()).isEqualTo("overlapping GET requests");

    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @Test
  void a_request_uri_with_a_bad_escape_is_answered_400() {
    String answer = RawRequest.get(server.server().port(), "/socket.io/?EIO=4&transport=polling&sid=%zz", "");
    assertThat(answer).startsWith("HTTP/1.1 400 ").contains("malformed request URI");
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }
}
