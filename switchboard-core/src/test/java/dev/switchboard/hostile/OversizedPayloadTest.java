package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.hostile.HostileServer.Disconnect;
import dev.switchboard.hostile.HostileServer.PollingSession;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.WsClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Payloads over maxHttpBufferSize end the sender's connection (WebSocket: 1009; polling: 413) and
 * disturb no one else. The limits themselves (at the size, fragmented, binary) are tested in
 * EngineWebSocketTest and EnginePollingTest.
 */
class OversizedPayloadTest {
  private static final int MAX = 10_000;
  private HostileServer server;

  @BeforeEach
  void start() {
    EngineIoOptions engine = SocketIoOptions.defaults().engine().mutate().maxHttpBufferSize(MAX).build();
    server = HostileServer.start(SocketIoOptions.builder().engine(engine).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_huge_websocket_message_closes_with_1009() throws Exception {
    try (WsClient ws = WsClient.connect(server.server().port(), "/socket.io/", "EIO=4&transport=websocket")) {
      assertThat(ws.nextText()).startsWith("0{");
      ws.send("40");
      String socketId = PollingClient.parse(ws.nextText().substring(2)).get("sid").asText();

      // Just over the limit, so that the whole frame is out before the server answers.
      ws.send("42[\"ping\",\"" + "x".repeat(MAX) + "\"]");

      assertThat(ws.closed()).succeedsWithin(Await.TIMEOUT).isEqualTo(1009);
      Disconnect disconnect = server.awaitDisconnect(socketId);
      assertThat(disconnect.reason()).isEqualTo(DisconnectReason.TRANSPORT_ERROR);
    }
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @Test
  void a_huge_polling_body_is_refused_with_413_and_ends_the_session() {
    try (PollingClient client = server.polling()) {
      PollingSession session = server.pollingJoined(client);

      HttpResponse<String> post = client.push(session.sid(), "42[\"ping\",\"" + "x".repeat(4 * MAX) + "\"]");

      assertThat(post.statusCode()).isEqualTo(413);
      Disconnect disconnect = server.awaitDisconnect(session.socketId());
      assertThat(disconnect.reason()).isEqualTo(DisconnectReason.TRANSPORT_ERROR);
      assertThat(disconnect.description()).contains("maxHttpBufferSize");
    }
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }
}
