package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.http.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The socketio-sharded wire against messages captured from real Node nodes ({@code socket.io} 4.8,
 * {@code createShardedAdapter} of {@code @socket.io/redis-adapter} 8.x, dynamic subscription mode)
 * by {@code ADAPTER=sharded interop/cluster/capture-socketio-wire.mjs}: each is read into this
 * server's message, and what this server writes for the same message is the captured bytes, byte
 * for byte, on the captured channel.
 */
class ShardedWireGoldenTest {
  private static final ShardedChannels CHANNELS = new ShardedChannels("socket.io", RedisWire.SubscriptionMode.DYNAMIC);
  private static JsonNode golden;

  private record Captured(String channel, byte[] bytes, JsonNode message) {
    JsonNode data() {
      return message.path("data");
    }

    String requestId() {
      return data().path("requestId").asText();
    }
  }

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = ShardedWireGoldenTest.class.getResourceAsStream("/socketio-wire/sharded-adapter-8.json")) {
      golden = Json.MAPPER.readTree(in);
    }
    assertThat(golden.path("versions").path("@socket.io/redis-adapter").asText()).startsWith("8.");
    assertThat(golden.path("versions").path("socket.io").asText()).startsWith("4.8");
  }

  private static List<Captured> captured(String label) throws IOException {
    List<Captured> found = new ArrayList<>();
    for (JsonNode m : golden.path("messages")) {
      if (m.path("label").asText().equals(label)) {
        byte[] bytes = HexFormat.of().parseHex(m.path("hex").asText());
        found.add(new Captured(m.path("channel").asText(), bytes, SocketIoMessages.parse(bytes)));
      }
    }
    assertThat(found).as("captured messages of %s", label).isNotEmpty();
    return found;
  }

  private static String uid(String node) {
    return golden.path("uids").path(node).asText();
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** Asserts that this server writes {@code data} from node {@code uid} as the captured bytes. */
  private static void writes(Captured captured, int type, ObjectNode data, String uid, String nsp) {
    assertThat(captured.message().path("type").asInt()).isEqualTo(type);
    assertThat(hex(ShardedMessages.encode(ShardedMessages.message(type, data, uid, nsp))))
        .isEqualTo(hex(captured.bytes()));
  }

  /** Reads the captured broadcast, writes it again from this server's message: the same bytes on the same channel. */
  private static ClusterBroadcast roundTrip(String label, String nsp, String uid) throws IOException {
    Captured message = captured(label).get(0);
    ClusterBroadcast read = ShardedMessages.broadcast(message.data(), nsp).orElseThrow();
    assertThat(message.message().path("uid").asText()).isEqualTo(uid);
    assertThat(CHANNELS.broadcast(read)).isEqualTo(message.channel());
    writes(message, ShardedMessages.BROADCAST, ShardedMessages.broadcast(read, Optional.empty(), Optional.empty()), uid, nsp);
    return read;
  }

  private static JsonNode args(ClusterBroadcast broadcast) throws IOException {
    return Json.decodeArray(broadcast.argsJson(), broadcast.attachments());
  }

  @Test
  void broadcastsWithoutBinaryAreJson() throws IOException {
    ClusterBroadcast plain = roundTrip("plain", "/", uid("a"));
    assertThat(captured("plain").get(0).bytes()[0]).isEqualTo((byte) '{');
    assertThat(Json.stringify(args(plain))).isEqualTo("[\"text\",0,1,-1,-33,127,128,255,256,65535,65536,-129,-32769,"
        + "4294967295,4294967296,-2147483649,1.5,-0.25,true,false,null,{\"nested\":{\"list\":[1,\"two\",null]}}]");
    assertThat(args(roundTrip("strings", "/", uid("a"))).get(5).asText()).isEqualTo("héllo ✓ 😀");
    assertThat(Json.stringify(args(roundTrip("undefined", "/", uid("a"))))).isEqualTo("[[1,null,2],{\"kept\":1}]");
  }

  @Test
  void oneRoomHasItsChannelExceptASocketsOwnRoom() throws IOException {
    assertThat(roundTrip("one-room", "/", uid("a")).rooms()).containsExactly("room-a");
    assertThat(captured("one-room").get(0).channel()).isEqualTo("socket.io#/#room-a#");
    ClusterBroadcast toSocket = roundTrip("socket-room", "/", uid("a"));
    assertThat(toSocket.rooms().get(0)).hasSize(20);
    assertThat(captured("socket-room").get(0).channel()).isEqualTo("socket.io#/#");
    assertThat(new ShardedChannels("socket.io", RedisWire.SubscriptionMode.STATIC).broadcast(
        ShardedMessages.broadcast(captured("one-room").get(0).data(), "/").orElseThrow())).isEqualTo("socket.io#/#");

    ClusterBroadcast rooms = roundTrip("rooms-except", "/", uid("a"));
    assertThat(rooms.rooms()).containsExactly("room-a", "room-b");
    assertThat(rooms.except()).containsExactly("room-c");
    assertThat(roundTrip("volatile", "/", uid("a")).volatileDelivery()).isTrue();
    ClusterBroadcast chat = roundTrip("namespace", "/chat", uid("aChat"));
    assertThat(chat.namespace()).isEqualTo("/chat");
    assertThat(captured("namespace").get(0).channel()).isEqualTo("socket.io#/chat#room-a#");
  }

  @Test
  void aBroadcastWithBinaryIsNotepack() throws IOException {
    ClusterBroadcast binary = roundTrip("binary", "/", uid("a"));
    assertThat(captured("binary").get(0).bytes()[0]).isNotEqualTo((byte) '{');
    assertThat(binary.attachments()).hasSize(2);
    assertThat(binary.attachments().get(0)).containsExactly(1, 2, 3);
    assertThat(binary.attachments().get(1)).hasSize(300);
  }

  @Test
  void broadcastWithAcknowledgementsAndItsAnswers() throws IOException {
    List<Captured> messages = captured("broadcast-ack");
    Captured request = messages.get(0);
    assertThat(request.channel()).as("never a room's channel").isEqualTo("socket.io#/#");
    ClusterBroadcast broadcast = ShardedMessages.broadcast(request.data(), "/").orElseThrow();
    String id = request.requestId();
    writes(request, ShardedMessages.BROADCAST,
        ShardedMessages.broadcast(broadcast, Optional.of(id), Optional.of(Duration.ofMillis(2000))), uid("a"), "/");

    Captured count = messages.get(1);
    assertThat(count.channel()).isEqualTo(CHANNELS.responses("/", uid("a")));
    writes(count, ShardedMessages.BROADCAST_CLIENT_COUNT, ShardedMessages.response(id).put("clientCount", 1), uid("b"), "/");

    Captured ack = messages.get(2);
    assertThat(ack.channel()).isEqualTo(CHANNELS.responses("/", uid("a")));
    Json.Encoded answer = SocketIoMessages.answer(ack.data().get("packet"));
    assertThat(answer.attachments()).hasSize(1);
    ObjectNode response = ShardedMessages.response(id);
    response.set("packet", SocketIoMessages.firstArgument(answer.json(), answer.attachments()));
    writes(ack, ShardedMessages.BROADCAST_ACK, response, uid("b"), "/");
  }

  @Test
  void socketOperationsAreJson() throws IOException {
    Captured join = captured("sockets-join").get(0);
    ObjectNode joinData = ShardedMessages.selection(Set.of("room-a"), Set.of());
    joinData.putArray("rooms").add("room-x").add("room-y");
    writes(join, ShardedMessages.SOCKETS_JOIN, joinData, uid("a"), "/");

    Captured leave = captured("sockets-leave").get(0);
    ObjectNode leaveData = ShardedMessages.selection(Set.of("room-a"), Set.of("room-z"));
    leaveData.putArray("rooms").add("room-x");
    writes(leave, ShardedMessages.SOCKETS_LEAVE, leaveData, uid("a"), "/");

    writes(captured("disconnect").get(0), ShardedMessages.DISCONNECT_SOCKETS,
        ShardedMessages.selection(Set.of("room-q"), Set.of()).put("close", false), uid("a"), "/");
    assertThat(captured("disconnect").get(0).channel()).isEqualTo("socket.io#/#");
  }

  @Test
  void fetchSocketsAndItsAnswerInTheHandshakeShapeNodeCodeReads() throws IOException {
    List<Captured> fetch = captured("fetch");
    writes(fetch.get(0), ShardedMessages.FETCH_SOCKETS,
        ShardedMessages.selection(Set.of(), Set.of()).put("requestId", fetch.get(0).requestId()), uid("a"), "/");

    Captured answer = fetch.get(1);
    assertThat(answer.channel()).isEqualTo(CHANNELS.responses("/", uid("a")));
    // The socket as this server holds it (time in milliseconds), written back as Node writes it.
    JsonNode ours = SocketIoSnapshots.fromNode(answer.data().path("sockets").get(0).deepCopy());
    ObjectNode response = ShardedMessages.response(answer.requestId());
    response.putArray("sockets").add(SocketIoSnapshots.toNode(ours));
    writes(answer, ShardedMessages.FETCH_SOCKETS_RESPONSE, response, uid("b"), "/");
  }

  @Test
  void serverSideEventsWithAndWithoutBinaryAndTheirAnswers() throws IOException {
    for (String label : List.of("server-side-emit", "server-side-emit-binary")) {
      Captured emit = captured(label).get(0);
      ClusterServerEvent event = SocketIoMessages.serverEvent("/", emit.data().get("packet"));
      assertThat(event.event()).isEqualTo("tell");
      writes(emit, ShardedMessages.SERVER_SIDE_EMIT, ShardedMessages.serverSideEmit(event, Optional.empty()), uid("a"), "/");
    }
    assertThat(captured("server-side-emit-binary").get(0).bytes()[0]).isNotEqualTo((byte) '{');

    for (String label : List.of("server-side-emit-ack", "server-side-emit-binary-ack")) {
      List<Captured> messages = captured(label);
      Captured asked = messages.get(0);
      String id = asked.requestId();
      ClusterServerEvent event = SocketIoMessages.serverEvent("/", asked.data().get("packet"));
      writes(asked, ShardedMessages.SERVER_SIDE_EMIT, ShardedMessages.serverSideEmit(event, Optional.of(id)), uid("a"), "/");

      Captured answered = messages.get(1);
      assertThat(answered.channel()).isEqualTo(CHANNELS.responses("/", uid("a")));
      Json.Encoded answer = SocketIoMessages.answer(answered.data().get("packet"));
      ObjectNode response = ShardedMessages.response(id);
      response.set("packet", SocketIoMessages.firstArgument(answer.json(), answer.attachments()));
      writes(answered, ShardedMessages.SERVER_SIDE_EMIT_RESPONSE, response, uid("b"), "/");
    }
  }
}
