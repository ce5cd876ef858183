package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.RawWebSocketClient;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The reason each way of leaving reports to onDisconnecting and onDisconnect. */
class DisconnectReasonTest {
  /** What the server saw of one socket's departure. */
  record Departure(String disconnectingReason, Set<String> roomsWhileDisconnecting, boolean connectedWhileDisconnecting,
                   String disconnectReason, Set<String> roomsAfter, String socketId) {}

  private TestServer server;
  private JavaClients clients;
  private final BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();
  private final BlockingQueue<Departure> departures = new LinkedBlockingQueue<>();

  private void start(SocketIoOptions options) {
    server = TestServer.start(options, io -> io.onConnection(socket -> {
      socket.join("room-a", "room-b");
      String[] disconnecting = new String[1];
      @SuppressWarnings("unchecked")
      Set<String>[] rooms = new Set[1];
      boolean[] wasConnected = new boolean[1];
      socket.onDisconnecting((reason, description) -> {
        disconnecting[0] = reason.text();
        rooms[0] = socket.rooms();
        wasConnected[0] = socket.connected();
      });
      socket.onDisconnect((reason, description) -> departures.add(
          new Departure(disconnecting[0], rooms[0], wasConnected[0], reason.text(), socket.rooms(), socket.id())));
      connected.add(socket);
    }));
    clients = new JavaClients(server.url());
  }

  @AfterEach
  void tearDown() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private Departure awaitDeparture(String reason, Socket socket) {
    Departure departure = Await.take(departures);
    assertThat(departure.socketId()).isEqualTo(socket.id());
    assertThat(departure.disconnectReason()).isEqualTo(reason);
    assertThat(departure.disconnectingReason()).isEqualTo(reason);
    // onDisconnecting runs while the socket is still in its rooms; onDisconnect after it left them.
    assertThat(departure.roomsWhileDisconnecting()).containsExactlyInAnyOrder(socket.id(), "room-a", "room-b");
    assertThat(departure.connectedWhileDisconnecting()).isTrue();
    assertThat(departure.roomsAfter()).isEmpty();
    assertThat(socket.connected()).isFalse();
    assertThat(server.io().sockets()).doesNotContainKey(socket.id());
    return departure;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void clientNamespaceDisconnect(Mode mode) {
    start(SocketIoOptions.defaults());
    ClientRecorder client = clients.connected("/", mode);
    Socket socket = Await.take(connected);
    client.socket().disconnect();
    client.awaitDisconnect("io client disconnect");
    awaitDeparture("client namespace disconnect", socket);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverNamespaceDisconnect(Mode mode) {
    start(SocketIoOptions.defaults());
    ClientRecorder client = clients.connected("/", mode);
    Socket socket = Await.take(connected);
    socket.disconnect();
    awaitDeparture("server namespace disconnect", socket);
    client.awaitDisconnect("io server disconnect");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverDisconnectForAnExpiredToken(Mode mode) {
    start(SocketIoOptions.defaults());
    ClientRecorder client = clients.connected("/", mode);
    Socket socket = Await.take(connected);
    socket.disconnect(DisconnectReason.TOKEN_EXPIRED, "the access token expired without a refresh");
    awaitDeparture("token expired", socket);
    client.awaitDisconnect("io server disconnect");
  }

  @Test
  void aServerDisconnectsOnlyForItsOwnReasons() {
    start(SocketIoOptions.defaults());
    ClientRecorder client = clients.connected("/", Mode.WEBSOCKET);
    Socket socket = Await.take(connected);
    assertThatThrownBy(() -> socket.disconnect(DisconnectReason.PING_TIMEOUT, "not the server's to say"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PING_TIMEOUT");
    socket.emit("still", "here");
    assertThat(client.awaitEvent("still").text(0)).isEqualTo("here");
    assertThat(socket.connected()).isTrue();
    client.assertNoMoreEvents();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverDisconnectWithCloseDeliversWhatWasSentFirst(Mode mode) {
    start(SocketIoOptions.defaults());
    ClientRecorder client = clients.connected("/", mode);
    Socket socket = Await.take(connected);
    socket.emit("bye", "last words");
    socket.disconnect(true);
    assertThat(client.awaitEvent("bye").text(0)).isEqualTo("last words");
    client.awaitDisconnect("io server disconnect");
    awaitDeparture("server namespace disconnect", socket);
    await().atMost(Await.TIMEOUT).until(() -> server.io().connectionCount() == 0);
    client.assertNoMoreEvents();
  }

  @Test
  void transportCloseWhenTheConnectionDrops() {
    start(SocketIoOptions.defaults());
    RawWebSocketClient raw = RawWebSocketClient.open(server);
    raw.send("40");
    assertThat(raw.awaitNonPing()).startsWith("40{");
    Socket socket = Await.take(connected);
    raw.cancel();
    awaitDeparture("transport close", socket);
  }

  @Test
  void transportCloseWhenTheClientSendsAClosePacket() {
    start(SocketIoOptions.defaults());
    try (RawWebSocketClient raw = RawWebSocketClient.open(server)) {
      raw.send("40");
      assertThat(raw.awaitNonPing()).startsWith("40{");
      Socket socket = Await.take(connected);
      raw.send("1");
      awaitDeparture("transport close", socket);
    }
  }

  @Test
  void parseErrorOnAnInvalidPacket() {
    start(SocketIoOptions.defaults());
    try (RawWebSocketClient raw = RawWebSocketClient.open(server)) {
      raw.send("40");
      assertThat(raw.awaitNonPing()).startsWith("40{");
      Socket socket = Await.take(connected);
      raw.send("42[\"unterminated");
      awaitDeparture("parse error", socket);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void serverShuttingDown(Mode mode) {
    start(SocketIoOptions.defaults());
    clients.connected("/", mode);
    Socket socket = Await.take(connected);
    server.io().close();
    awaitDeparture("server shutting down", socket);
  }

  @Test
  void pingTimeoutWhenTheClientStopsAnswering() {
    SocketIoOptions options = SocketIoOptions.builder()
        .engine(SocketIoOptions.defaults().engine().mutate()
            .pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(100)).build())
        .build();
    start(options);
    try (RawWebSocketClient raw = RawWebSocketClient.open(server)) {
      raw.send("40");
      assertThat(raw.awaitNonPing()).startsWith("40{");
      Socket socket = Await.take(connected);
      raw.stopAnsweringPings();
      awaitDeparture("ping timeout", socket);
      assertThat(raw.awaitClosed(Duration.ofSeconds(5))).isNotZero();
    }
  }

  @Test
  void answeringPingsKeepsTheConnection() {
    SocketIoOptions options = SocketIoOptions.builder()
        .engine(SocketIoOptions.defaults().engine().mutate()
            .pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(100)).build())
        .build();
    start(options);
    try (RawWebSocketClient raw = RawWebSocketClient.open(server)) {
      raw.send("40");
      assertThat(raw.awaitNonPing()).startsWith("40{");
      Socket socket = Await.take(connected);
      // Ten heartbeats, each answered: well past pingInterval + pingTimeout.
      int before = raw.pingsAnswered();
      await().atMost(Await.TIMEOUT).until(() -> raw.pingsAnswered() >= before + 10);
      assertThat(socket.connected()).isTrue();
      assertThat(departures).isEmpty();
    }
  }
}
