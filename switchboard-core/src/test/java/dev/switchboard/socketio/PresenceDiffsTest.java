package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceRule;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.ClientRecorder.Received;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batched presence with the official Java client: a connection whose handshake asks for diffs
 * ({@code presenceDiff: "true"}, the Java client's auth being strings) gets {@code presence:diff}
 * and never {@code presence:join}; one that does not gets the per-change events; the unlisted
 * rooms behind diffs are not among the node's rooms.
 */
class PresenceDiffsTest {
  private TestServer server;
  private JavaClients clients;

  @BeforeEach
  void start() {
    server = TestServer.start(SocketIoOptions.builder()
            .presence(List.of(new PresenceRule("doc:*", true, true)))
            .presenceDiffInterval(Duration.ofMillis(300))
            .build(),
        io -> io.onConnection(socket -> {
          socket.data().put(PresenceIdentity.DATA_KEY,
              new PresenceMember(socket.handshake().authField("user").orElse(socket.id()), Map.of()));
          socket.on("join", event -> {
            socket.join(event.args().text(0));
            event.ack(true);
          });
        }));
    clients = new JavaClients(server.url());
  }

  @AfterEach
  void stop() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private ClientRecorder joined(String user, boolean diffs, String room) {
    Map<String, String> auth = new LinkedHashMap<>();
    auth.put("user", user);
    if (diffs) {
      auth.put("presenceDiff", "true");
    }
    ClientRecorder client = clients.recorded("/", Mode.WEBSOCKET, auth).connect();
    client.awaitConnect();
    client.emitWithAck("joined", "join", room);
    client.awaitAck("joined");
    return client;
  }

  private static List<String> ids(JSONArray members) throws org.json.JSONException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < members.length(); i++) {
      ids.add(members.getJSONObject(i).getString("id"));
    }
    return ids;
  }

  @Test
  void aConnectionThatAsksGetsDiffsAndOneThatDoesNotGetsEvents() throws Exception {
    ClientRecorder old = joined("old", false, "doc:1");
    ClientRecorder watcher = joined("watcher", true, "doc:1");
    assertThat(old.awaitEvent("presence:join").json(0).getJSONObject("member").getString("id")).isEqualTo("watcher");
    JSONObject own = watcher.awaitEvent("presence:diff").json(0);
    assertThat(own.getString("room")).isEqualTo("doc:1");
    assertThat(ids(own.getJSONArray("joined"))).containsExactly("watcher");

    Map<String, Integer> rooms = server.io().localRoomSizes().get();
    assertThat(rooms).containsEntry("doc:1", 2);
    assertThat(rooms.keySet()).allSatisfy(room -> assertThat(room).doesNotContain("\u0000"));

    joined("bob", false, "doc:1");
    joined("ada", false, "doc:1");
    assertThat(old.awaitEvent("presence:join").json(0).getJSONObject("member").getString("id")).isEqualTo("bob");
    assertThat(old.awaitEvent("presence:join").json(0).getJSONObject("member").getString("id")).isEqualTo("ada");
    List<String> arrived = new ArrayList<>();
    while (arrived.size() < 2) {
      Received diff = watcher.awaitEvent("presence:diff");
      assertThat(diff.json(0).getJSONArray("left").length()).isZero();
      arrived.addAll(ids(diff.json(0).getJSONArray("joined")));
    }
    assertThat(arrived).containsExactly("bob", "ada");
  }
}
