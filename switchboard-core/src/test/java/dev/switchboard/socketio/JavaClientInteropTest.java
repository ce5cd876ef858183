package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.engineio.Transport;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import io.socket.client.IO;
import io.socket.client.Manager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The official Java client against this server, over each transport setup. */
class JavaClientInteropTest {
  private TestServer server;
  private JavaClients clients;
  private final BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();

  private void start(Consumer<SocketIoServer> setup) {
    start(SocketIoOptions.defaults(), setup);
  }

  private void start(SocketIoOptions options, Consumer<SocketIoServer> setup) {
    server = TestServer.start(options, setup);
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

  private ClientRecorder connect(String nsp, Mode mode) {
    return clients.connected(nsp, mode);
  }

  private Socket serverSocket(Mode mode) {
    Socket socket = Await.take(connected);
    if (mode == Mode.POLLING_THEN_UPGRADE) {
      await().atMost(Duration.ofSeconds(10)).until(() -> socket.transport() == Transport.WEBSOCKET);
    } else if (mode == Mode.POLLING) {
      assertThat(socket.transport()).isEqualTo(Transport.POLLING);
    } else {
      assertThat(socket.transport()).isEqualTo(Transport.WEBSOCKET);
    }
    return socket;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eventsBothWays(Mode mode) throws Exception {
    start(io -> io.onConnection(socket -> {
      connected.add(socket);
      socket.emit("welcome", Map.of("id", socket.id(), "n", 1));
      socket.on("hello", event -> socket.emit("hello-back", event.args().text(0), event.arg(1, Integer.class) + 1,
          event.args().get(2).get("nested").get(0).asText()));
    }));
    ClientRecorder client = connect("/", mode);
    Socket socket = serverSocket(mode);

    JSONObject welcome = client.awaitEvent("welcome").json(0);
    assertThat(welcome.getString("id")).isEqualTo(socket.id());
    assertThat(welcome.getInt("n")).isEqualTo(1);

    client.socket().emit("hello", "world", 41, new JSONObject().put("nested", new JSONArray().put("deep")));
    ClientRecorder.Received back = client.awaitEvent("hello-back");
    assertThat(back.args()).containsExactly("world", 42, "deep");

    // Server-initiated events after the connection settled, several in a row, keep their order.
    for (int i = 0; i < 20; i++) {
      socket.emit("count", i);
    }
    for (int i = 0; i < 20; i++) {
      assertThat(client.awaitEvent("count").integer(0)).isEqualTo(i);
    }
    client.assertNoMoreEvents();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void acksBothWays(Mode mode) throws Exception {
    start(io -> io.onConnection(socket -> {
      connected.add(socket);
      socket.on("sum", event -> event.ack(event.arg(0, Integer.class) + event.arg(1, Integer.class), "done"));
    }));
    ClientRecorder client = connect("/", mode);
    Socket socket = serverSocket(mode);

    client.emitWithAck("sum", "sum", 2, 3);
    assertThat(client.awaitAck("sum").args()).containsExactly(5, "done");

    CompletableFuture<Args> answer = socket.emitWithAck("question", "ready?");
    ClientRecorder.Received question = client.awaitEvent("question");
    assertThat(question.text(0)).isEqualTo("ready?");
    question.reply("yes", 7);
    Args args = Await.result(answer);
    assertThat(args.text(0)).isEqualTo("yes");
    assertThat(args.get(1, Integer.class)).isEqualTo(7);
    client.assertNoMoreEvents();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void binaryBothWaysAndInAcks(Mode mode) throws Exception {
    start(io -> {
      io.onConnection(this::binaryHandlers);
      io.of("/files").onConnection(this::binaryHandlers);
    });
    for (String nsp : List.of("/", "/files")) {
      ClientRecorder client = connect(nsp, mode);
      Socket socket = serverSocket(mode);
      assertThat(socket.namespace().name()).isEqualTo(nsp);
      exchangeBinary(client, socket);
    }
  }

  private void binaryHandlers(Socket socket) {
    connected.add(socket);
    socket.on("upload", event -> {
      byte[] first = event.args().bytes(0);
      byte[] nested = ((com.fasterxml.jackson.databind.node.BinaryNode) event.args().get(1).get("file")).binaryValue();
      socket.emit("download", reversed(first), Map.of("file", reversed(nested), "name", "f"));
    });
    socket.on("upload-ack", event -> event.ack(reversed(event.args().bytes(0)), "ok"));
  }

  private static void exchangeBinary(ClientRecorder client, Socket socket) throws Exception {
    byte[] payload = {1, 2, 3, 0, (byte) 0xff};
    client.socket().emit("upload", payload, new JSONObject().put("file", new byte[] {9, 8}));
    ClientRecorder.Received download = client.awaitEvent("download");
    assertThat(download.bytes(0)).containsExactly((byte) 0xff, 0, 3, 2, 1);
    JSONObject nested = download.json(1);
    assertThat((byte[]) nested.get("file")).containsExactly(8, 9);
    assertThat(nested.getString("name")).isEqualTo("f");

    client.emitWithAck("bin", "upload-ack", (Object) new byte[] {4, 5, 6});
    ClientRecorder.AckAnswer answer = client.awaitAck("bin");
    assertThat((byte[]) answer.arg(0)).containsExactly(6, 5, 4);
    assertThat(answer.arg(1)).isEqualTo("ok");

    CompletableFuture<Args> fromClient = socket.emitWithAck("give-bytes", new byte[] {42});
    ClientRecorder.Received ask = client.awaitEvent("give-bytes");
    assertThat(ask.bytes(0)).containsExactly(42);
    ask.reply(new byte[] {7, 7, 7}, "tail");
    Args args = Await.result(fromClient);
    assertThat(args.bytes(0)).containsExactly(7, 7, 7);
    assertThat(args.text(1)).isEqualTo("tail");
    client.assertNoMoreEvents();
  }

  private static byte[] reversed(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[bytes.length - 1 - i];
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void staticAndDynamicNamespaces(Mode mode) throws Exception {
    BlockingQueue<Socket> admins = new LinkedBlockingQueue<>();
    BlockingQueue<Socket> rooms = new LinkedBlockingQueue<>();
    Namespace[] dynamic = new Namespace[1];
    start(io -> {
      io.of("/admin").onConnection(socket -> {
        admins.add(socket);
        socket.on("whoami", event -> event.ack(socket.namespace().name()));
      });
      dynamic[0] = io.of(Pattern.compile("/room-\\d+"));
      dynamic[0].onConnection(socket -> {
        rooms.add(socket);
        socket.on("whoami", event -> event.ack(socket.namespace().name()));
      });
    });

    ClientRecorder admin = clients.connected("/admin", mode);
    assertThat(Await.take(admins).namespace().name()).isEqualTo("/admin");
    admin.emitWithAck("who", "whoami");
    assertThat(admin.awaitAck("who").args()).containsExactly("/admin");

    ClientRecorder room42 = clients.connected("/room-42", mode);
    ClientRecorder room7 = clients.connected("/room-7", mode);
    assertThat(List.of(Await.take(rooms).namespace().name(), Await.take(rooms).namespace().name()))
        .containsExactlyInAnyOrder("/room-42", "/room-7");
    room42.emitWithAck("who", "whoami");
    assertThat(room42.awaitAck("who").args()).containsExactly("/room-42");

    // A broadcast on the dynamic family reaches every child, and only them.
    dynamic[0].emit("family", "hi");
    assertThat(room42.awaitEvent("family").text(0)).isEqualTo("hi");
    assertThat(room7.awaitEvent("family").text(0)).isEqualTo("hi");
    // The main namespace has no socket; a broadcast there reaches nobody.
    server.io().emit("main-only");
    server.io().of("/admin").emit("barrier");
    admin.awaitEvent("barrier");
    admin.assertNoMoreEvents();

    ClientRecorder unknown = ClientRecorder.record(clients.socket("/room-x", mode)).connect();
    assertThat(unknown.awaitConnectError().message()).isEqualTo("Invalid namespace");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void severalNamespacesOnOneConnection(Mode mode) throws Exception {
    start(io -> {
      io.onConnection(connected::add);
      io.of("/chat").onConnection(connected::add);
    });
    Manager manager = clients.manager(mode);
    ClientRecorder main = clients.recorded(manager, "/").connect();
    ClientRecorder chat = clients.recorded(manager, "/chat").connect();
    main.awaitConnect();
    chat.awaitConnect();
    Socket a = Await.take(connected);
    Socket b = Await.take(connected);
    assertThat(a.connectionId()).isEqualTo(b.connectionId());
    assertThat(a.id()).isNotEqualTo(b.id());

    server.io().of("/chat").emit("only-chat", 1);
    server.io().emit("only-main", 2);
    assertThat(chat.awaitEvent("only-chat").integer(0)).isEqualTo(1);
    assertThat(main.awaitEvent("only-main").integer(0)).isEqualTo(2);
    main.assertNoMoreEvents();
    chat.assertNoMoreEvents();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void authPayloadReachesHandshake(Mode mode) throws Exception {
    start(io -> io.onConnection(connected::add));
    ClientRecorder client = clients.recorded("/", mode, Map.of("token", "s3cret", "user", "ada")).connect();
    client.awaitConnect();
    Socket socket = Await.take(connected);
    assertThat(socket.handshake().auth().get("token").asText()).isEqualTo("s3cret");
    assertThat(socket.handshake().authField("user")).contains("ada");
    assertThat(socket.handshake().query()).containsEntry("EIO", "4");
    assertThat(socket.handshake().address()).isEqualTo("127.0.0.1");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void middlewareRejectionReachesClientWithMessageAndData(Mode mode) throws Exception {
    start(io -> {
      io.use((socket, next) -> {
        if (socket.handshake().authField("token").isEmpty()) {
          next.fail("not authorized", Map.of("code", 401, "hint", "send a token"));
        } else {
          // An asynchronous decision, from another thread.
          CompletableFuture.runAsync(next::proceed);
        }
      });
      io.onConnection(connected::add);
    });

    ClientRecorder refused = ClientRecorder.record(clients.socket("/", mode)).connect();
    ClientRecorder.ConnectError error = refused.awaitConnectError();
    assertThat(error.message()).isEqualTo("not authorized");
    JSONObject data = (JSONObject) error.data().orElseThrow();
    assertThat(data.getInt("code")).isEqualTo(401);
    assertThat(data.getString("hint")).isEqualTo("send a token");
    assertThat(connected).isEmpty();

    ClientRecorder accepted = clients.recorded("/", mode, Map.of("token", "t")).connect();
    accepted.awaitConnect();
    assertThat(Await.take(connected).handshake().authField("token")).contains("t");
    refused.assertNoMoreEvents();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void roomsWithToAndExcept(Mode mode) throws Exception {
    start(io -> io.onConnection(socket -> {
      socket.on("join", event -> {
        for (int i = 0; i < event.args().size(); i++) {
          socket.join(event.args().text(i));
        }
        event.ack();
      });
      socket.on("shout", event -> socket.to(event.args().text(0)).emit("shout", event.args().text(1)));
    }));
    ClientRecorder a = connect("/", mode);
    ClientRecorder b = connect("/", mode);
    ClientRecorder c = connect("/", mode);
    ClientRecorder d = connect("/", mode);
    a.emitWithAck("joined", "join", "room1");
    b.emitWithAck("joined", "join", "room1", "vip");
    c.emitWithAck("joined", "join", "room2", "vip");
    for (ClientRecorder client : List.of(a, b, c)) {
      client.awaitAck("joined");
    }

    SocketIoServer io = server.io();
    io.to("room1").emit("r1");
    io.to("room1", "room2").emit("r1or2");
    io.to("room1").except("vip").emit("r1-not-vip");
    io.except("vip").emit("not-vip");
    a.socket().emit("shout", "room1", "from-a");
    io.emit("barrier");

    a.awaitEvent("r1");
    a.awaitEvent("r1or2");
    a.awaitEvent("r1-not-vip");
    a.awaitEvent("not-vip");
    b.awaitEvent("r1");
    b.awaitEvent("r1or2");
    c.awaitEvent("r1or2");
    d.awaitEvent("not-vip");
    // The shout leaves from a's event loop, the barrier from the test thread: either may come first.
    assertThat(List.of(b.next(), b.next()))
        .extracting(r -> ((ClientRecorder.Received) r).name())
        .containsExactlyInAnyOrder("shout", "barrier");
    for (ClientRecorder client : List.of(a, c, d)) {
      client.awaitEvent("barrier");
    }
    for (ClientRecorder client : List.of(a, b, c, d)) {
      client.assertNoMoreEvents();
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void reconnectsAfterTheServerDropsTheTransport(Mode mode) throws Exception {
    // A short heartbeat: the Java client (engine.io-client 2.1) ignores a WebSocket close frame
    // from the server (it has no onClosing), so over WebSocket it notices the loss by ping timeout.
    SocketIoOptions options = SocketIoOptions.builder()
        .engine(SocketIoOptions.defaults().engine().mutate()
            .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(300)).build())
        .build();
    start(options, io -> io.onConnection(connected::add));
    IO.Options clientOptions = JavaClients.options(mode);
    clientOptions.reconnection = true;
    clientOptions.reconnectionDelay = 50;
    clientOptions.reconnectionDelayMax = 200;
    ClientRecorder client = ClientRecorder.record(clients.socket("/", clientOptions)).connect();
    client.awaitConnect();
    Socket first = serverSocket(mode);
    BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
    first.onDisconnect((reason, description) -> reasons.add(reason.text()));

    // Drops every transport; the HTTP server keeps accepting, so the client comes back.
    server.io().close();
    assertThat(Await.take(reasons)).isEqualTo("server shutting down");
    client.awaitDisconnect(mode == Mode.POLLING ? "transport close" : "ping timeout");
    client.awaitConnect();
    Socket second = serverSocket(mode);
    assertThat(second.id()).isNotEqualTo(first.id());
    assertThat(first.connected()).isFalse();

    second.emit("after", "reconnect");
    assertThat(client.awaitEvent("after").text(0)).isEqualTo("reconnect");
  }
}
