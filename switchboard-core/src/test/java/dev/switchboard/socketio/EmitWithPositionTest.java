package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.http.internal.Json;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code emitWithPosition}: the library's way to learn a broadcast's position in its room's history
 * and to hand it to every member in the broadcast's last argument, without touching the caller's.
 */
class EmitWithPositionTest {
  private TestServer server;
  private JavaClients clients;
  private ClientRecorder member;

  @BeforeEach
  void start() {
    server = TestServer.start(SocketIoOptions.builder()
        .history(List.of(new HistoryRule("kept:*", 10, Duration.ofMinutes(1)))).build(), io -> io.onConnection(socket -> {
          socket.join("kept:a");
          socket.join("plain");
        }));
    clients = new JavaClients(server.url());
    member = clients.connected("/", Mode.WEBSOCKET);
    await().atMost(Await.TIMEOUT).until(() -> server.io().sockets().size() == 1);
  }

  @AfterEach
  void stop() {
    clients.close();
    server.close();
  }

  @Test
  void aKeptBroadcastTellsItsPositionAndItsMetaCarriesIt() throws Exception {
    Map<String, Object> meta = new HashMap<>(Map.of("from", "server"));
    Optional<StreamPosition> first = server.io().to("kept:a").emitWithPosition("note", "one", meta).join();
    assertThat(first).isPresent();
    ClientRecorder.Received received = member.awaitEvent("note");
    assertThat(received.text(0)).isEqualTo("one");
    JSONObject sent = received.json(1);
    assertThat(sent.getString("from")).isEqualTo("server");
    assertThat(sent.getString("position")).isEqualTo(first.get().toString());
    assertThat(meta).as("the caller's map is left as it was").doesNotContainKey("position");

    ObjectNode tree = Json.MAPPER.createObjectNode().put("kind", "tree");
    Optional<StreamPosition> second = server.io().to("kept:a").emitWithPosition("note", "two", tree).join();
    assertThat(second.get().epoch()).isEqualTo(first.get().epoch());
    assertThat(second.get().offset()).isEqualTo(first.get().offset() + 1);
    assertThat(member.awaitEvent("note").json(1).getString("position")).isEqualTo(second.get().toString());
    assertThat(tree.has("position")).isFalse();
    assertThat(server.io().history("kept:a", first.get(), 10).join().entries())
        .extracting(entry -> entry.position()).containsExactly(second.get());
  }

  @Test
  void aLastArgumentThatIsNoObjectIsSentAsItIs() {
    Optional<StreamPosition> position = server.io().to("kept:a").emitWithPosition("note", "just text").join();
    assertThat(position).isPresent();
    ClientRecorder.Received received = member.awaitEvent("note");
    assertThat(received.args()).containsExactly("just text");
  }

  @Test
  void aBroadcastNoHistoryKeepsHasNoPosition() throws Exception {
    assertThat(server.io().to("plain").emitWithPosition("note", "x", Map.of("k", 1)).join()).isEmpty();
    assertThat(member.awaitEvent("note").json(1).has("position")).isFalse();
    assertThat(server.io().to("kept:a", "plain").emitWithPosition("note", "y", Map.of("k", 2)).join())
        .as("several rooms: no single history").isEmpty();
    assertThat(member.awaitEvent("note").json(1).has("position")).isFalse();
  }
}
