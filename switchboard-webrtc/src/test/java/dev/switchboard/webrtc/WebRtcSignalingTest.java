package dev.switchboard.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.history.HistoryEntry;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.socketio.PresenceIdentity;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.TestServer;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay embedded in an application's own server: its call joins through {@link WebRtcSignaling#join},
 * users named by the handshake's {@code auth.user} field (official Java clients).
 */
class WebRtcSignalingTest {
  /** Who a connection is: the handshake's {@code auth.user}, else anonymous. */
  private static final PresenceIdentity BY_AUTH_USER = socket ->
      new PresenceMember(socket.handshake().authField("user").orElse(socket.id()), Map.of());

  private TestServer server;
  private JavaClients clients;

  @BeforeEach
  void start() {
    SocketIoOptions options = SocketIoOptions.builder()
        .presence(WebRtcSignaling.presenceRules(true))
        .presenceIdentity(BY_AUTH_USER)
        .history(List.of(new HistoryRule("*", 100, Duration.ofMinutes(2))))
        .build();
    server = TestServer.start(options, io -> {
      WebRtcSignaling calls = WebRtcSignaling.install(io, SignalingOptions.DEFAULTS.withMeshLimit(2));
      io.onConnection(socket -> {
        socket.on("call:join", event -> calls.join(socket, event.args().get(0).path("room").asText())
            .thenAccept(result -> event.ack(result instanceof JoinResult.CallFull full
                ? Map.of("ok", false, "error", full.error()) : Map.of("ok", true))));
        // An application may take a connection out of its user room: then nothing reaches it there.
        socket.on("leave-user-room", event -> {
          socket.rooms().stream().filter(room -> room.startsWith(Rooms.USER_PREFIX)).forEach(socket::leave);
          event.ack(true);
        });
      });
    });
    clients = new JavaClients("http://127.0.0.1:" + server.port());
  }

  @AfterEach
  void stop() {
    clients.close();
    server.close();
  }

  private Socket connect(String user) {
    IO.Options options = JavaClients.options(JavaClients.Mode.WEBSOCKET);
    if (user != null) {
      options.auth = Map.of("user", user);
    }
    return JavaClients.connectNow(clients.socket("/", options));
  }

  private static JSONObject request(Socket socket, String event, Object payload) {
    return (JSONObject) JavaClients.emitWithAck(socket, event, payload)[0];
  }

  private static JSONObject join(Socket socket, String room) throws Exception {
    return request(socket, "call:join", new JSONObject().put("room", room));
  }

  private static JSONObject offerTo(String to) throws Exception {
    return new JSONObject().put("to", to).put("sdp", new JSONObject().put("type", "offer").put("sdp", "v=0\r\n"));
  }

  @Test
  void aCallMemberWithNoConnectionInTheirUserRoomIsUnknownUser() throws Exception {
    Socket ada = connect("ada");
    Socket bob = connect("bob");
    assertThat(join(ada, "call:1").getBoolean("ok")).isTrue();
    assertThat(join(bob, "call:1").getBoolean("ok")).isTrue();
    var offers = JavaClients.inbox(bob, "webrtc:offer");
    assertThat(request(ada, "webrtc:offer", offerTo("bob")).getBoolean("ok")).isTrue();
    JSONObject relayed = (JSONObject) offers.take()[0];
    assertThat(relayed.getString("from")).isEqualTo("ada");

    JavaClients.emitWithAck(bob, "leave-user-room", "now");
    // A fresh connection of ada, so no earlier check of bob is reused.
    Socket adaAgain = connect("ada");
    assertThat(join(adaAgain, "call:1").getBoolean("ok")).isTrue();
    JSONObject answer = request(adaAgain, "webrtc:offer", offerTo("bob"));
    assertThat(answer.getBoolean("ok")).isFalse();
    assertThat(answer.getJSONObject("error").getString("code")).isEqualTo("UNKNOWN_USER");
    // NOT_IN_CALL comes first: a stranger does not learn that much.
    Socket eve = connect("eve");
    assertThat(request(eve, "webrtc:offer", offerTo("bob")).getJSONObject("error").getString("code")).isEqualTo("NOT_IN_CALL");
  }

  @Test
  void signalsReachTheUserButStayOutOfTheUserRoomsHistory() throws Exception {
    Socket ada = connect("ada");
    Socket bob = connect("bob");
    assertThat(join(ada, "call:3").getBoolean("ok")).isTrue();
    assertThat(join(bob, "call:3").getBoolean("ok")).isTrue();
    var offers = JavaClients.inbox(bob, "webrtc:offer");
    var notes = JavaClients.inbox(bob, "note");
    for (int i = 0; i < 3; i++) {
      assertThat(request(ada, "webrtc:offer", offerTo("bob")).getBoolean("ok")).isTrue();
      assertThat(((JSONObject) offers.take()[0]).getString("from")).isEqualTo("ada");
    }
    // What the application sends to the user room is kept as before.
    server.io().to(Rooms.user("bob")).emit("note", "kept");
    notes.take();

    List<HistoryEntry> kept = server.io().history(Rooms.user("bob"), 100).get().entries();
    assertThat(kept).extracting(HistoryEntry::event).containsExactly("note");
  }

  @Test
  void aCallTakesUpToTheMeshLimitOfUsersCountingEachTabOnceAndEachAnonymousConnection() throws Exception {
    Socket ada = connect("ada");
    Socket adaTab = connect("ada");
    Socket anonymous = connect(null);
    Socket bob = connect("bob");
    assertThat(join(ada, "call:2").getBoolean("ok")).isTrue();
    assertThat(join(adaTab, "call:2").getBoolean("ok")).isTrue();
    assertThat(join(anonymous, "call:2").getBoolean("ok")).isTrue();
    JSONObject full = join(bob, "call:2");
    assertThat(full.getBoolean("ok")).isFalse();
    JSONObject error = full.getJSONObject("error");
    assertThat(error.getString("code")).isEqualTo("CALL_FULL");
    assertThat(error.getBoolean("sfu")).isTrue();
    assertThat(error.getInt("limit")).isEqualTo(2);
    assertThat(error.getString("message")).contains("call:2").contains("SFU");
    // Other rooms are not calls: no limit.
    for (Socket socket : new Socket[] {ada, anonymous, bob}) {
      assertThat(join(socket, "lobby").getBoolean("ok")).isTrue();
    }
    // An anonymous connection cannot signal.
    assertThat(request(anonymous, "webrtc:offer", offerTo("ada")).getJSONObject("error").getString("code"))
        .isEqualTo("AUTH_REQUIRED");
  }

  @Test
  void aServerWhosePresenceDoesNotTrackCallsAndUsersIsRefused() {
    SocketIoServer io = SocketIoServer.create(SocketIoOptions.defaults());
    try {
      assertThatThrownBy(() -> WebRtcSignaling.install(io, SignalingOptions.DEFAULTS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("WebRtcSignaling.presenceRules");
    } finally {
      io.close();
    }
  }
}
