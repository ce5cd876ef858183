package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.hostile.HostileServer.Disconnect;
import dev.switchboard.hostile.HostileServer.PollingSession;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.RawWebSocketClient;
import dev.switchboard.testkit.WsClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed Engine.IO and Socket.IO packets, and too many binary attachments, end the sender's
 * connection with a parse error and disturb no one else. The bare error paths are tested in
 * EngineWebSocketTest, EnginePollingTest, SocketIoWireTest and SioDecoderTest; here the server
 * runs Socket.IO with a bystander.
 */
class MalformedPacketsTest {
  private HostileServer server;

  @BeforeEach
  void start() {
    server = HostileServer.start(SocketIoOptions.builder().maxAttachments(2).build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void a_malformed_engine_io_packet_over_websocket_closes_that_connection_only() {
    String[] id = new String[1];
    try (RawWebSocketClient ws = server.rawJoined(id)) {
      ws.send("9garbage");
      ws.awaitClosed(Await.TIMEOUT);
      Disconnect disconnect = server.awaitDisconnect(id[0]);
      assertThat(disconnect.reason()).isEqualTo(DisconnectReason.PARSE_ERROR);
      assertThat(disconnect.description()).contains("unknown packet type");
    }
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @Test
  void a_malformed_engine_io_payload_over_polling_is_refused_with_400() {
    try (PollingClient client = server.polling()) {
      PollingSession session = server.pollingJoined(client);
      HttpResponse<String> post = client.push(session.sid(), "42[\"ping\",1]\u001ebnot-base64!");
      assertThat(post.statusCode()).isEqualTo(400);
      Disconnect disconnect = server.awaitDisconnect(session.socketId());
      assertThat(disconnect.reason()).isEqualTo(DisconnectReason.PARSE_ERROR);
      assertThat(disconnect.description()).contains("base64");
    }
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "2[\"connect\"]        | invalid payload",
      "2{\"a\":1}            | invalid payload",
      "2[\"x\"               | invalid JSON",
      "9                     | unknown packet type",
      "2999999999999999999[\"x\"] | ack id too large",
      "4{\"message\":\"x\"}  | may not send CONNECT_ERROR",
      "1[1]                  | invalid payload",
  })
  void a_malformed_socket_io_packet_over_websocket_closes_that_connection_only(String packet, String why) {
    String[] id = new String[1];
    try (RawWebSocketClient ws = server.rawJoined(id)) {
      ws.send("4" + packet);
      ws.awaitClosed(Await.TIMEOUT);
      Disconnect disconnect = server.awaitDisconnect(id[0]);
      assertThat(disconnect.reason()).isEqualTo(DisconnectReason.PARSE_ERROR);
      assertThat(disconnect.description()).contains(why);
    }
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @Test
  void json_nested_too_deep_over_polling_ends_that_session_only() {
    try (PollingClient client = server.polling()) {
      PollingSession session = server.pollingJoined(client);
      String deep = "[".repeat(1000) + "]".repeat(1000);
      assertThat(client.push(session.sid(), "42[\"ping\"," + deep + "]").statusCode()).isEqualTo(200);
      Disconnect disconnect = server.awaitDisconnect(session.socketId());
      assertThat(disconnect.reason()).isEqualTo(DisconnectReason.PARSE_ERROR);
      assertThat(disconnect.description()).contains("invalid JSON");
      // What was queued (a close packet) may come first; then the session is gone.
      await().atMost(Await.TIMEOUT).until(() -> client.poll(session.sid()).statusCode() == 400);
    }
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }

  @Test
  void too_many_binary_attachments_end_the_connection_while_the_limit_itself_is_accepted() throws Exception {
    try (WsClient ws = WsClient.connect(server.server().port(), "/socket.io/", "EIO=4&transport=websocket")) {
      assertThat(ws.nextText()).startsWith("0{");
      ws.send("40");
      String connect = ws.nextText();
      String socketId = PollingClient.parse(connect.substring(2)).get("sid").asText();

      // Exactly maxAttachments (2): accepted, and the binary argument comes back in the ack.
      ws.send("452-7[\"ping\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
      ws.send("first".getBytes(StandardCharsets.UTF_8));
      ws.send("second".getBytes(StandardCharsets.UTF_8));
      assertThat(ws.nextText()).isEqualTo("461-7[\"pong\",{\"_placeholder\":true,\"num\":0}]");
      assertThat(new String(ws.nextBinary(), StandardCharsets.UTF_8)).isEqualTo("first");

      ws.send("453-8[\"ping\",{\"_placeholder\":true,\"num\":0}]");
      assertThat(ws.closed()).succeedsWithin(Await.TIMEOUT);
      Disconnect disconnect = server.awaitDisconnect(socketId);
      assertThat(disconnect.reason()).isEqualTo(DisconnectReason.PARSE_ERROR);
      assertThat(disconnect.description()).isEqualTo("too many binary attachments (3 > 2)");
    }
    server.assertBystanderUndisturbed();
    server.assertNoOtherDisconnects();
  }
}
