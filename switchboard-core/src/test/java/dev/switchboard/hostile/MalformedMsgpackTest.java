package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.Parser;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.internal.SioDecoder;
import dev.switchboard.socketio.internal.SioPacket;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.TestServer;
import dev.switchboard.testkit.WsClient;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A server with the msgpack parser: a message it cannot read ends the sender's connection with a
 * parse error, while a bystander speaking msgpack on its own connection still gets broadcasts and
 * acks.
 */
class MalformedMsgpackTest {
  /** {@code {type:0, nsp:"/"}}: CONNECT to the main namespace. */
  private static final String CONNECT = "82 a4 74797065 00 a3 6e7370 a1 2f";
  /** {@code {type:2, nsp:"/", id:1, data:["ping", 7]}}. */
  private static final String PING = "84 a4 74797065 02 a3 6e7370 a1 2f a2 6964 01 a4 64617461 92 a4 70696e67 07";

  private record Disconnect(String socketId, DisconnectReason reason, String description) {}

  private final BlockingQueue<Disconnect> disconnects = new LinkedBlockingQueue<>();
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(SocketIoOptions.builder().parser(Parser.MSGPACK).build(), io -> io.onConnection(socket -> {
      socket.on("ping", event -> event.ack("pong", event.args().get(0)));
      socket.onDisconnect((reason, description) -> disconnects.add(new Disconnect(socket.id(), reason, description)));
    }));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "text message          | text message",
      "c1                    | invalid msgpack",
      "93 01 02 03           | must be a map",
      "82 a4 74797065 02 a4 64617461 dd 7fffffff | beyond the end",
      "82 a4 74797065 02 a4 64617461 c6 7fffffff | beyond the end",
      "83 a4 74797065 02 a3 6e7370 a1 2f a4 64617461 92 a1 61 d4 05 00 | extension type 5",
      "82 a4 74797065 07 a3 6e7370 a1 2f | invalid packet type",
      "83 a4 74797065 02 a3 6e7370 a1 2f a4 64617461 91 a7 636f6e6e656374 | invalid payload",
  })
  void a_message_the_msgpack_parser_cannot_read_closes_that_connection_only(String message, String why)
      throws Exception {
    try (WsClient bystander = joined(new String[1]); WsClient hostile = joined(new String[1])) {
      // hostile: a second bystander, which also sends an acked event afterwards
      String[] id = new String[1];
      try (WsClient sender = joined(id)) {
        if (message.startsWith("text")) {
          sender.send("42[\"ping\",1]");
        } else {
          sender.send(hex(message));
        }
        assertThat(Await.result(sender.closed())).isNotZero();
        Disconnect disconnect = Await.take(disconnects);
        assertThat(disconnect.socketId()).isEqualTo(id[0]);
        assertThat(disconnect.reason()).isEqualTo(DisconnectReason.PARSE_ERROR);
        assertThat(disconnect.description()).contains(why);
      }
      server.io().emit("tick", 1);
      for (WsClient other : new WsClient[] {bystander, hostile}) {
        SioPacket.Event tick = (SioPacket.Event) decode(other.nextBinary());
        assertThat(tick.name()).isEqualTo("tick");
        assertThat(tick.args().get(1).intValue()).isEqualTo(1);
      }
      hostile.send(hex(PING));
      SioPacket.Ack pong = (SioPacket.Ack) decode(hostile.nextBinary());
      assertThat(pong.ackId()).isEqualTo(1);
      assertThat(pong.args().get(0).textValue()).isEqualTo("pong");
      assertThat(pong.args().get(1).intValue()).isEqualTo(7);
      assertThat(disconnects).isEmpty();
    }
  }

  /** A raw WebSocket client that joined "/" in msgpack; the socket id in {@code id[0]}. */
  private WsClient joined(String[] id) throws Exception {
    WsClient ws = WsClient.connect(server.port(), "/socket.io/", "EIO=4&transport=websocket");
    assertThat(ws.nextText()).startsWith("0{");
    ws.send(hex(CONNECT));
    SioPacket.Connect answer = (SioPacket.Connect) decode(ws.nextBinary());
    id[0] = answer.auth().get("sid").textValue();
    return ws;
  }

  private static SioPacket decode(byte[] message) {
    return SioDecoder.of(Parser.MSGPACK, 0).decodeBinary(message);
  }

  private static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }
}
