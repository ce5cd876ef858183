package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.TestServer;
import dev.switchboard.testkit.WsClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Socket.IO v5 packets as they travel inside Engine.IO, against a real Socket.IO server. */
class SocketIoWireTest {
  private TestServer server;
  private PollingClient client;

  @BeforeEach
  void start() {
    server = TestServer.start(io -> {
      Namespace[] namespaces = {io, io.of("/admin")};
      for (Namespace nsp : namespaces) {
        nsp.onConnection(socket -> {
          socket.on("echo", event -> socket.emit("echo", event.args().toArray()));
          socket.on("ack-me", event -> event.ack("got", event.args().get(0), new byte[] {1, 2, 3, 4}));
        });
      }
    });
    client = new PollingClient(server.port(), "/socket.io/");
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  /** Opens an Engine.IO session and joins the main namespace. */
  private String connected() {
    String sid = client.handshake().sid();
    assertThat(client.push(sid, "40").body()).isEqualTo("ok");
    assertThat(packets(sid, 1).get(0)).startsWith("40{\"sid\":\"");
    return sid;
  }

  @Test
  void connecting_to_the_main_namespace_answers_the_socket_id() {
    String sid = client.handshake().sid();
    client.push(sid, "40");
    String answer = packets(sid, 1).get(0);
    assertThat(answer).startsWith("40");
    assertThat(PollingClient.parse(answer.substring(2)).get("sid").asText()).isNotBlank().isNotEqualTo(sid);
  }

  @Test
  void connecting_to_a_custom_namespace_and_to_an_unknown_one() {
    String sid = client.handshake().sid();
    client.push(sid, "40/admin,");
    assertThat(packets(sid, 1).get(0)).startsWith("40/admin,{\"sid\":\"");
    client.push(sid, "40/nope,");
    assertThat(packets(sid, 1)).containsExactly("44/nope,{\"message\":\"Invalid namespace\"}");
  }

  @Test
  void an_event_is_echoed_in_its_namespace() {
    String sid = connected();
    client.push(sid, "40/admin,");
    packets(sid, 1);

    client.push(sid, "42[\"echo\",\"hi\",1,{\"a\":null}]\u001e42/admin,[\"echo\",true]");

    assertThat(packets(sid, 2)).containsExactly("42[\"echo\",\"hi\",1,{\"a\":null}]", "42/admin,[\"echo\",true]");
  }

  @Test
  void an_event_with_an_ack_id_is_acknowledged_with_a_binary_ack() {
    String sid = connected();

    client.push(sid, "4212[\"ack-me\",\"x\"]");

    assertThat(packets(sid, 2)).containsExactly(
        "461-12[\"got\",\"x\",{\"_placeholder\":true,\"num\":0}]", "bAQIDBA==");
  }

  @Test
  void a_binary_event_over_polling_carries_its_attachments_as_base64_packets() {
    String sid = connected();

    client.push(sid, "452-[\"echo\",{\"_placeholder\":true,\"num\":1},{\"_placeholder\":true,\"num\":0}]"
        + "\u001ebAQI=\u001ebAwQ=");

    assertThat(packets(sid, 3)).containsExactly(
        "452-[\"echo\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]", "bAwQ=", "bAQI=");
  }

  @Test
  void a_binary_event_over_websocket_carries_its_attachments_as_binary_frames() throws Exception {
    try (WsClient ws = WsClient.connect(server.port(), "/socket.io/", "EIO=4&transport=websocket")) {
      assertThat(ws.nextText()).startsWith("0{");
      ws.send("40/admin,");
      assertThat(ws.nextText()).startsWith("40/admin,{\"sid\":\"");

      ws.send("451-/admin,5[\"ack-me\",{\"_placeholder\":true,\"num\":0}]");
      ws.send(new byte[] {7, 7});

      assertThat(ws.nextText()).isEqualTo(
          "462-/admin,5[\"got\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
      assertThat(ws.nextBinary()).containsExactly(7, 7);
      assertThat(ws.nextBinary()).containsExactly(1, 2, 3, 4);
    }
  }

  @Test
  void a_reserved_event_name_closes_the_connection() {
    String sid = connected();
    client.push(sid, "42[\"disconnect\"]");
    assertSessionGone(sid);
  }

  @Test
  void text_while_waiting_for_attachments_closes_the_connection() {
    String sid = connected();
    client.push(sid, "451-[\"echo\",{\"_placeholder\":true,\"num\":0}]\u001e42[\"echo\"]");
    assertSessionGone(sid);
  }

  @Test
  void an_attachment_nobody_announced_closes_the_connection() {
    String sid = connected();
    client.push(sid, "bAQI=");
    assertSessionGone(sid);
  }

  @Test
  void invalid_json_closes_the_connection() {
    String sid = connected();
    client.push(sid, "42[\"echo\"");
    assertSessionGone(sid);
  }

  /** Once closed, the next poll ends with a close packet or finds the session gone. */
  private void assertSessionGone(String sid) {
    HttpResponse<String> poll = client.poll(sid);
    if (poll.statusCode() == 200) {
      assertThat(poll.body()).endsWith("1");
      poll = client.poll(sid);
    }
    assertThat(poll.statusCode()).isEqualTo(400);
    assertThat(PollingClient.parse(poll.body()).get("code").asInt()).isEqualTo(1);
  }

  /** Polls until {@code count} Engine.IO packets arrived; returns them without their separators. */
  private List<String> packets(String sid, int count) {
    List<String> packets = new ArrayList<>();
    while (packets.size() < count) {
      HttpResponse<String> poll = client.poll(sid);
      assertThat(poll.statusCode()).isEqualTo(200);
      packets.addAll(Arrays.asList(poll.body().split("\u001e")));
    }
    assertThat(packets).hasSize(count);
    return packets;
  }
}
