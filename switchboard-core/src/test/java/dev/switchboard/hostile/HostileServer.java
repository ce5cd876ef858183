package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.RawWebSocketClient;
import dev.switchboard.testkit.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Socket.IO server for hostile clients, with a well-behaved bystander on its own connection.
 * Every socket answers {@code ping} with {@code pong} and its argument; {@code typed} binds its
 * first argument to a {@link Message} as an application would. Server-side disconnects are recorded.
 */
final class HostileServer implements AutoCloseable {
  /** What an application expects as the argument of {@code typed}. */
  record Message(String room, String text) {}

  /** A disconnect seen by the server. */
  record Disconnect(String socketId, DisconnectReason reason, String description) {}

  private final TestServer server;
  private final JavaClients clients;
  private final BlockingQueue<Disconnect> disconnects = new LinkedBlockingQueue<>();
  private final AtomicInteger ticks = new AtomicInteger();
  private final ClientRecorder bystander;

  private HostileServer(SocketIoOptions options) {
    server = TestServer.start(options, io -> io.onConnection(socket -> {
      socket.on("ping", event -> event.ack("pong", event.args().get(0)));
      socket.on("typed", event -> event.ack("ok", event.arg(0, Message.class).text()));
      socket.onDisconnect((reason, description) -> disconnects.add(new Disconnect(socket.id(), reason, description)));
    }));
    clients = new JavaClients(server.url());
    bystander = clients.connected("/", Mode.WEBSOCKET);
  }

  static HostileServer start(SocketIoOptions options) {
    return new HostileServer(options);
  }

  static HostileServer start() {
    return start(SocketIoOptions.defaults());
  }

  TestServer server() {
    return server;
  }

  JavaClients clients() {
    return clients;
  }

  PollingClient polling() {
    return new PollingClient(server.port(), server.io().options().path());
  }

  /** A raw WebSocket connection that joined "/"; returns it with the socket id in {@code ids[0]}. */
  RawWebSocketClient rawJoined(String[] ids) {
    RawWebSocketClient ws = RawWebSocketClient.open(server);
    ws.send("40");
    String connect = ws.awaitNonPing();
    assertThat(connect).startsWith("40{\"sid\":\"");
    ids[0] = PollingClient.parse(connect.substring(2)).get("sid").asText();
    return ws;
  }

  /** A polling session that joined "/": its Engine.IO sid and socket id. */
  record PollingSession(String sid, String socketId) {}

  PollingSession pollingJoined(PollingClient client) {
    String sid = client.handshake().sid();
    assertThat(client.push(sid, "40").body()).isEqualTo("ok");
    String body = client.poll(sid).body();
    assertThat(body).startsWith("40{\"sid\":\"");
    return new PollingSession(sid, PollingClient.parse(body.substring(2)).get("sid").asText());
  }

  /** The next disconnect, which must be of {@code socketId}. */
  Disconnect awaitDisconnect(String socketId) {
    Disconnect disconnect = Await.take(disconnects);
    assertThat(disconnect.socketId()).as("who disconnected").isEqualTo(socketId);
    return disconnect;
  }

  /** Fails if the server has seen any disconnect not yet taken (the bystander's, for one). */
  void assertNoOtherDisconnects() {
    assertThat(disconnects).as("disconnects").isEmpty();
  }

  /** The bystander still gets a broadcast and the answer to an acked event, and is still connected. */
  void assertBystanderUndisturbed() {
    int tick = ticks.incrementAndGet();
    server.io().emit("tick", tick);
    assertThat(bystander.awaitEvent("tick").integer(0)).isEqualTo(tick);
    bystander.emitWithAck("ping" + tick, "ping", tick);
    assertThat(bystander.awaitAck("ping" + tick).args()).isEqualTo(List.of("pong", tick));
    assertThat(bystander.socket().connected()).isTrue();
    assertThat(server.io().sockets()).containsKey(bystander.socket().id());
  }

  Map<String, ?> sockets() {
    return server.io().sockets();
  }

  @Override
  public void close() {
    clients.close();
    server.close();
  }
}
