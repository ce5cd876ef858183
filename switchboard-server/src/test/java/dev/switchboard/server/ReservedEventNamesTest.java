package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.SseReader;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
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
      "auth:expired", "auth:expiring", "presence:join", "presence:leave", "presence:diff", "stream:gap", "error",
      "chat:delta", "chat:done", "chat:error", "webrtc:offer", "webrtc:answer", "webrtc:ice-candidate",
      "call:consent:request", "call:consent:state", "call:recording:start", "call:recording:stop");
  /** The protocol's own names, which no client may send either. */
  private static final List<String> PROTOCOL_NAMES = List.of(
      "connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private SwitchboardApp app;
  private final StandaloneClients clients = new StandaloneClients(() -> app.port());

  @BeforeEach
  void start() {
    // Presence events off: any presence:join the bystander sees would be a forgery.
    app = TestApps.start(Map.of("demo", "false", "presence-events", "false", "event-rate", "0", "user-event-rate", "0"));
  }

  @AfterEach
  void stop() {
    clients.close();
    app.close();
  }

  @Test
  void serverEventNamesCannotBePublished() throws Exception {
    Socket attacker = clients.connect();
    Socket member = clients.connect();
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

  private static JSONObject call(Socket socket, String event, Map<String, Object> payload) {
    return StandaloneClients.call(socket, event, new JSONObject(payload));
  }
}
