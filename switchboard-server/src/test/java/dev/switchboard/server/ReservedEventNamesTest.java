package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.SseReader;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member cannot publish an event the server itself sends ({@code auth:expired},
 * {@code presence:join}, {@code stream:gap}, {@code error}, ...): the publish is refused with
 * INVALID_EVENT, and neither the other members nor SSE streams receive it.
 */
@Timeout(30)
class ReservedEventNamesTest {
  /** Every name the server sends to clients on its own. */
  private static final List<String> SERVER_NAMES = List.of(
      "auth:expired", "auth:expiring", "presence:join", "presence:leave", "stream:gap", "error",
      "chat:delta", "chat:done", "chat:error");
  /** The protocol's own names, which no client may send either. */
  private static final List<String> PROTOCOL_NAMES = List.of(
      "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private SwitchboardApp app;
  private final List<Socket> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    // Presence events off: any presence:join the bystander sees would be a forgery.
    app = SwitchboardApp.start(ServerConfig.from(new ConfigValues().set("host", "127.0.0.1", "test").set("port", "0", "test")
        .set("demo", "false", "test").set("presence-events", "false", "test")
        .set("event-rate", "0", "test").set("user-event-rate", "0", "test")));
  }

  @AfterEach
  void stop() {
    clients.forEach(Socket::close);
    app.close();
  }

  @Test
  void serverEventNamesCannotBePublished() throws Exception {
    Socket attacker = connect();
    Socket member = connect();
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    for (String name : SERVER_NAMES) {
      member.on(name, args -> received.add(name));
    }
    member.on("note", args -> received.add("note"));
    assertThat(call(attacker, "room:join", Map.of("room", "lobby")).optBoolean("ok")).isTrue();
    assertThat(call(member, "room:join", Map.of("room", "lobby")).optBoolean("ok")).isTrue();
    try (SseReader stream = SseReader.open(app.port(), "/sse?rooms=lobby")) {
      assertThat(stream.status()).isEqualTo(200);
      for (String name : concat(SERVER_NAMES, PROTOCOL_NAMES)) {
        JSONObject answer = call(attacker, "room:publish", Map.of("room", "lobby", "event", name,
            "data", Map.of("code", "TOKEN_EXPIRED", "message", "log in again at https://evil.example")));
        assertThat(answer.optBoolean("ok")).as(name).isFalse();
        assertThat(answer.getJSONObject("error").getString("code")).as(name).isEqualTo("INVALID_EVENT");
      }
      assertThat(call(attacker, "room:publish", Map.of("room", "lobby", "event", "note", "data", "after")).optBoolean("ok"))
          .isTrue();

      // The first thing either receiver gets is the note sent after the refused ones.
      assertThat(received.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("note");
      assertThat(stream.nextMessage(WAIT).event()).isEqualTo("note");
    }
    assertThat(received).isEmpty();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private Socket connect() {
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false)
        .setTransports(new String[] {"websocket"}).build();
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + app.port()), options);
    clients.add(socket);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    socket.connect();
    connected.orTimeout(5, TimeUnit.SECONDS).join();
    return socket;
  }

  private static JSONObject call(Socket socket, String event, Map<String, Object> payload) {
    CompletableFuture<JSONObject> answer = new CompletableFuture<>();
    socket.emit(event, new Object[] {new JSONObject(payload)}, args -> answer.complete((JSONObject) args[0]));
    return answer.orTimeout(5, TimeUnit.SECONDS).join();
  }
}
