package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.http.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The socketio wire against messages captured from real Node nodes ({@code socket.io} 4.8,
 * {@code @socket.io/redis-adapter} 8.x, {@code @socket.io/redis-emitter}) by
 * {@code interop/cluster/capture-socketio-wire.mjs}: each is read into this server's message, and
 * what this server writes for the same message is the captured bytes, byte for byte.
 */
class SocketIoWireGoldenTest {
  private static final String KEY = "socket.io";
  private static JsonNode golden;

  private record Captured(String label, String channel, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = SocketIoWireGoldenTest.class.getResourceAsStream("/socketio-wire/adapter-8.json")) {
      golden = Json.MAPPER.readTree(in);
    }
    assertThat(golden.path("versions").path("@socket.io/redis-adapter").asText()).startsWith("8.");
    assertThat(golden.path("versions").path("socket.io").asText()).startsWith("4.8");
  }

  private static List<Captured> captured(String label) {
    List<Captured> found = new ArrayList<>();
    golden.path("messages").forEach(m -> {
      if (m.path("label").asText().equals(label)) {
        found.add(new Captured(label, m.path("channel").asText(), HexFormat.of().parseHex(m.path("hex").asText())));
      }
    });
    assertThat(found).as("captured messages of %s", label).isNotEmpty();
    return found;
  }

  private static String uid(String node) {
    return golden.path("uids").path(node).asText();
  }

  /** Reads the captured broadcast, writes it again from this server's message: the same bytes on the same channel. */
  private static ClusterBroadcast roundTrip(String label, String namespace, String uid) throws IOException {
    Captured message = captured(label).get(0);
    SocketIoMessages.Broadcast read = SocketIoMessages.broadcast(message.bytes(), namespace).orElseThrow();
    assertThat(read.uid()).isEqualTo(uid);
    assertThat(SocketIoMessages.channel(KEY, read.message())).isEqualTo(message.channel());
    assertThat(HexFormat.of().formatHex(SocketIoMessages.broadcast(uid, read.message())))
        .as("bytes written for %s", label).isEqualTo(HexFormat.of().formatHex(message.bytes()));
    return read.message();
  }

  private static JsonNode args(ClusterBroadcast broadcast) throws IOException {
    return Json.decodeArray(broadcast.argsJson(), broadcast.attachments());
  }

  @Test
  void numbersStringsMapsAndNullsAsNotepackWritesThem() throws IOException {
    ClusterBroadcast plain = roundTrip("plain", "/", uid("a"));
    assertThat(plain.event()).isEqualTo("plain");
    assertThat(Json.stringify(args(plain))).isEqualTo("[\"text\",0,1,-1,-33,127,128,255,256,65535,65536,-129,-32769,"
        + "4294967295,4294967296,-2147483649,1.5,-0.25,true,false,null,{\"nested\":{\"list\":[1,\"two\",null]}}]");
    assertThat(plain.rooms()).isEmpty();
    assertThat(plain.volatileDelivery()).isFalse();

    ClusterBroadcast strings = roundTrip("strings", "/", uid("a"));
    assertThat(args(strings).get(4).asText()).hasSize(65536);
    assertThat(args(strings).get(5).asText()).isEqualTo("héllo ✓ 😀");

    // notepack 3 writes undefined as nil in an array and leaves it out of a map.
    ClusterBroadcast undefined = roundTrip("undefined", "/", uid("a"));
    assertThat(Json.stringify(args(undefined))).isEqualTo("[[1,null,2],{\"kept\":1}]");
  }

  @Test
  void roomsExceptVolatileBinaryAndNamespaces() throws IOException {
    ClusterBroadcast oneRoom = roundTrip("one-room", "/", uid("a"));
    assertThat(oneRoom.rooms()).containsExactly("room-a");

    ClusterBroadcast rooms = roundTrip("rooms-except", "/", uid("a"));
    assertThat(rooms.rooms()).containsExactly("room-a", "room-b");
    assertThat(rooms.except()).containsExactly("room-c");

    assertThat(roundTrip("volatile", "/", uid("a")).volatileDelivery()).isTrue();

    ClusterBroadcast binary = roundTrip("binary", "/", uid("a"));
    assertThat(binary.attachments()).hasSize(2);
    assertThat(binary.attachments().get(0)).containsExactly(1, 2, 3);
    assertThat(binary.attachments().get(1)).hasSize(300);

    ClusterBroadcast chat = roundTrip("namespace", "/chat", uid("aChat"));
    assertThat(chat.namespace()).isEqualTo("/chat");
    assertThat(SocketIoMessages.broadcast(captured("namespace").get(0).bytes(), "/")).as("another namespace's").isEmpty();
  }

  @Test
  void broadcastWithAcknowledgementsAndItsAnswers() throws IOException {
    List<Captured> messages = captured("broadcast-ack");
    Captured request = messages.get(0);
    assertThat(request.channel()).isEqualTo("socket.io-request#/#");
    JsonNode parsed = SocketIoMessages.parse(request.bytes());
    assertThat(parsed.path("type").asInt()).isEqualTo(SocketIoMessages.BROADCAST);
    ClusterBroadcast broadcast = SocketIoMessages.fromPacket(parsed.get("packet"), parsed.get("opts"), "/").orElseThrow();
    String requestId = parsed.path("requestId").asText();
    assertThat(SocketIoMessages.ackedBroadcast(uid("a"), requestId, broadcast, Duration.ofMillis(2000)))
        .isEqualTo(request.bytes());

    Captured count = messages.get(1);
    assertThat(count.channel()).isEqualTo("socket.io-response#/#");
    assertThat(Json.stringify(SocketIoMessages.response(SocketIoMessages.BROADCAST_CLIENT_COUNT, requestId)
        .put("clientCount", 1))).isEqualTo(count.text());

    Captured ack = messages.get(2);
    JsonNode answer = Notepack.decode(ack.bytes()).get("packet");
    Json.Encoded encoded = SocketIoMessages.answer(answer);
    assertThat(SocketIoMessages.broadcastAck(requestId, encoded.json(), encoded.attachments())).isEqualTo(ack.bytes());
    assertThat(encoded.attachments()).hasSize(1);
  }

  @Test
  void requestsAndResponsesAreTheJsonNodeWrites() throws IOException {
    Captured fetch = captured("fetch").get(0);
    JsonNode request = SocketIoMessages.parse(fetch.bytes());
    assertThat(Json.stringify(SocketIoMessages.request(uid("a"), Optional.of(request.path("requestId").asText()),
        SocketIoMessages.REMOTE_FETCH, Set.of(), Set.of()))).isEqualTo(fetch.text());

    Captured join = captured("sockets-join").get(0);
    ObjectNode joinRequest = SocketIoMessages.request(uid("a"), Optional.empty(), SocketIoMessages.REMOTE_JOIN,
        Set.of("room-a"), Set.of());
    joinRequest.putArray("rooms").add("room-x").add("room-y");
    assertThat(Json.stringify(joinRequest)).isEqualTo(join.text());

    Captured leave = captured("sockets-leave").get(0);
    ObjectNode leaveRequest = SocketIoMessages.request(uid("a"), Optional.empty(), SocketIoMessages.REMOTE_LEAVE,
        Set.of("room-a"), Set.of("room-z"));
    leaveRequest.putArray("rooms").add("room-x");
    assertThat(Json.stringify(leaveRequest)).isEqualTo(leave.text());

    Captured disconnect = captured("disconnect").get(0);
    assertThat(Json.stringify(SocketIoMessages.request(uid("a"), Optional.empty(), SocketIoMessages.REMOTE_DISCONNECT,
        Set.of("room-q"), Set.of()).put("close", false))).isEqualTo(disconnect.text());

    Captured emit = captured("server-side-emit").get(0);
    ClusterServerEvent event = SocketIoMessages.serverEvent("/", SocketIoMessages.parse(emit.bytes()).get("data"));
    assertThat(event.event()).isEqualTo("tell");
    assertThat(Json.stringify(SocketIoMessages.serverSideEmit(uid("a"), Optional.empty(), event))).isEqualTo(emit.text());

    List<Captured> withAck = captured("server-side-emit-ack");
    JsonNode asked = SocketIoMessages.parse(withAck.get(0).bytes());
    ClusterServerEvent ask = SocketIoMessages.serverEvent("/", asked.get("data"));
    assertThat(Json.stringify(SocketIoMessages.serverSideEmit(uid("a"), Optional.of(asked.path("requestId").asText()), ask)))
        .isEqualTo(withAck.get(0).text());
    assertThat(Json.stringify(SocketIoMessages.response(SocketIoMessages.SERVER_SIDE_EMIT, asked.path("requestId").asText())
        .put("data", "b:why"))).isEqualTo(withAck.get(1).text());
  }

  @Test
  void aFetchedSocketHasTheHandshakeShapeNodeCodeReads() throws IOException {
    JsonNode nodeSocket = SocketIoMessages.parse(captured("fetch").get(1).bytes()).path("sockets").get(0);
    ObjectNode ours = Json.MAPPER.createObjectNode();
    ours.put("id", "sb-socket");
    ours.putArray("rooms").add("sb-socket").add("room-a");
    ours.putObject("data").put("role", "answerer");
    ObjectNode handshake = ours.putObject("handshake");
    handshake.putObject("headers").put("host", "127.0.0.1");
    handshake.putObject("query").put("q", "1");
    handshake.putObject("auth").put("token", "t");
    handshake.put("address", "127.0.0.1");
    handshake.put("time", nodeSocket.path("handshake").path("issued").asLong());
    handshake.put("url", "/socket.io/?q=1");
    handshake.put("secure", false);
    handshake.put("xdomain", false);

    JsonNode asNode = SocketIoSnapshots.toNode(ours);
    assertThat(fieldNames(asNode)).isEqualTo(fieldNames(nodeSocket));
    assertThat(fieldNames(asNode.get("handshake"))).isEqualTo(fieldNames(nodeSocket.get("handshake")));
    assertThat(asNode.path("handshake").path("time").asText()).isEqualTo(nodeSocket.path("handshake").path("time").asText());
    assertThat(SocketIoSnapshots.fromNode(nodeSocket.deepCopy()).path("handshake").path("time").asLong())
        .isEqualTo(nodeSocket.path("handshake").path("issued").asLong());
  }

  @Test
  void theEmittersMessagesAreRead() throws IOException {
    ClusterBroadcast toRoom = SocketIoMessages.broadcast(captured("emitter-emit").get(0).bytes(), "/").orElseThrow().message();
    assertThat(toRoom.rooms()).containsExactly("room-a");
    assertThat(toRoom.except()).containsExactly("room-b");
    assertThat(toRoom.attachments()).hasSize(1);
    assertThat(captured("emitter-emit").get(0).channel()).isEqualTo(SocketIoMessages.channel(KEY, toRoom));

    assertThat(SocketIoMessages.broadcast(captured("emitter-namespace").get(0).bytes(), "/chat")).isPresent();
    assertThat(SocketIoMessages.broadcast(captured("emitter-volatile").get(0).bytes(), "/").orElseThrow()
        .message().volatileDelivery()).isTrue();
    JsonNode join = SocketIoMessages.parse(captured("emitter-join").get(0).bytes());
    assertThat(join.has("uid")).as("the emitter's requests carry no uid").isFalse();
    assertThat(join.path("type").asInt()).isEqualTo(SocketIoMessages.REMOTE_JOIN);
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
