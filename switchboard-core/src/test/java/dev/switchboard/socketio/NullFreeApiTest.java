package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.switchboard.history.HistoryEntry;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.http.internal.Json;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceRule;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The public API without {@code null}: history read from the start without a position, presence
 * read without blocking, arguments that are missing answered as such or given as {@code Optional}.
 */
class NullFreeApiTest {
  private TestServer server;
  private JavaClients clients;
  private ClientRecorder member;

  @BeforeEach
  void start() {
    server = TestServer.start(SocketIoOptions.builder()
        .history(List.of(new HistoryRule("kept:*", 10, Duration.ofMinutes(1))))
        .presence(List.of(new PresenceRule("kept:*", true, false))).build(), io -> io.onConnection(socket -> {
          socket.join("kept:a");
          socket.on("echo", event -> event.ack(event.args().text(0)));
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
  void historyWithoutAPositionReadsEverythingStillKept() {
    server.io().to("kept:a").emit("note", "one");
    server.io().to("kept:a").emit("note", "two");
    HistoryPage page = server.io().history("kept:a", 10).join();
    assertThat(page.entries()).hasSize(2);
    assertThat(server.io().history("kept:a", page.entries().get(0).position(), 10).join().entries())
        .extracting(HistoryEntry::position).containsExactly(page.entries().get(1).position());
    assertThatThrownBy(() -> server.io().history("kept:a", null, 10)).isInstanceOf(NullPointerException.class);
    member.awaitEvent("note");
    member.awaitEvent("note");
  }

  @Test
  void presenceAsyncAnswersAsPresenceDoes() {
    await().atMost(Await.TIMEOUT).until(() -> server.io().presence("kept:a").size() == 1);
    List<PresenceMember> members = server.io().presenceAsync("kept:a").toCompletableFuture().join();
    assertThat(members).isEqualTo(server.io().presence("kept:a"));
    assertThat(server.io().of("/other").presenceAsync("kept:a").toCompletableFuture().join()).isEmpty();
  }

  @Test
  void aMissingTextArgumentIsAnsweredAsInvalid() throws Exception {
    member.emitWithAck("hello", "echo", "hello");
    assertThat(member.awaitAck("hello").arg(0)).isEqualTo("hello");
    member.emitWithAck("number", "echo", 42);
    JSONObject error = ((JSONObject) member.awaitAck("number").arg(0)).getJSONObject("error");
    assertThat(error.getString("code")).isEqualTo("INVALID_ARGUMENT");
    assertThat(error.getString("message")).isEqualTo("argument 0 is not a string");
    member.emitWithAck("none", "echo");
    error = ((JSONObject) member.awaitAck("none").arg(0)).getJSONObject("error");
    assertThat(error.getString("message")).isEqualTo("no argument at index 0 (there are 0)");
  }

  @Test
  void argumentsAreFoundAsOptionals() {
    ArrayNode values = Json.MAPPER.createArrayNode().add("text").add(new byte[] {1, 2}).add(3);
    Args args = Args.of(values);
    assertThat(args.findText(0)).contains("text");
    assertThat(args.findText(2)).isEmpty();
    assertThat(args.findText(3)).isEmpty();
    assertThat(args.findBytes(1)).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(1, 2));
    assertThat(args.findBytes(0)).isEmpty();
    assertThat(args.bytes(1)).containsExactly(1, 2);
    assertThatThrownBy(() -> args.bytes(0)).isInstanceOf(ArgumentException.class).hasMessage("argument 0 is not binary");
    assertThatThrownBy(() -> args.text(5)).isInstanceOf(ArgumentException.class)
        .hasMessage("no argument at index 5 (there are 3)");
  }
}
