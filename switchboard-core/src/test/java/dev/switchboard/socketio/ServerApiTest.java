package dev.switchboard.socketio;

import dev.switchboard.rooms.Rooms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.RawWebSocketClient;
import dev.switchboard.testkit.TestServer;
import io.socket.client.Manager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server-side API, with the Java client as the peer. */
class ServerApiTest {
  private TestServer server;
  private JavaClients clients;
  /** Server sockets of the main namespace by the "user" auth field. */
  private final Map<String, Socket> byUser = new ConcurrentHashMap<>();
  private final BlockingQueue<Socket> connected = new LinkedBlockingQueue<>();

  private void start(Consumer<SocketIoServer> setup) {
    start(SocketIoOptions.defaults(), setup);
  }

  private void start(SocketIoOptions options, Consumer<SocketIoServer> setup) {
    server = TestServer.start(options, io -> {
      io.onConnection(socket -> {
        socket.handshake().authField("user").ifPresent(user -> byUser.put(user, socket));
        connected.add(socket);
      });
      setup.accept(io);
    });
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

  private ClientRecorder user(String name) {
    ClientRecorder client = clients.recorded("/", Mode.WEBSOCKET, Map.of("user", name)).connect();
    client.awaitConnect();
    await().atMost(Await.TIMEOUT).until(() -> byUser.containsKey(name));
    return client;
  }

  /** Emits a barrier to the whole namespace and waits for it at each client, then checks nothing else came. */
  private void barrier(ClientRecorder... all) {
    server.io().emit("barrier");
    for (ClientRecorder client : all) {
      client.awaitEvent("barrier");
      client.assertNoMoreEvents();
    }
  }

  @Test
  void fetchSocketsReturnsIdsRoomsAndData() {
    start(io -> io.onConnection(socket -> {
      socket.join("lobby");
      socket.on("profile", event -> {
        socket.data().put("color", event.args().text(0));
        event.ack();
      });
    }));
    ClientRecorder ann = user("ann");
    ClientRecorder bob = user("bob");
    ann.emitWithAck("set", "profile", "red");
    ann.awaitAck("set");
    byUser.get("bob").join("vip");

    List<RemoteSocket> all = Await.result(server.io().fetchSockets());
    assertThat(all).extracting(RemoteSocket::id)
        .containsExactlyInAnyOrder(byUser.get("ann").id(), byUser.get("bob").id());
    RemoteSocket annRemote = all.stream().filter(s -> s.id().equals(byUser.get("ann").id())).findFirst().orElseThrow();
    assertThat(annRemote.rooms()).containsExactlyInAnyOrder(annRemote.id(), "lobby");
    assertThat(annRemote.data()).containsEntry("color", "red");
    assertThat(annRemote.handshake().authField("user")).contains("ann");

    await().atMost(Await.TIMEOUT).until(() -> byUser.get("bob").rooms().contains("vip"));
    List<RemoteSocket> vip = Await.result(server.io().in("vip").fetchSockets());
    assertThat(vip).extracting(RemoteSocket::id).containsExactly(byUser.get("bob").id());
    assertThat(vip.get(0).rooms()).containsExactlyInAnyOrder(vip.get(0).id(), "lobby", "vip");

    assertThat(Await.result(server.io().in("nobody-here").fetchSockets())).isEmpty();
    assertThat(Await.result(server.io().except("vip").fetchSockets())).extracting(RemoteSocket::id)
        .containsExactly(byUser.get("ann").id());

    // A fetched socket acts on the live one.
    vip.get(0).emit("hi", "from-remote");
    assertThat(bob.awaitEvent("hi").text(0)).isEqualTo("from-remote");
    barrier(ann, bob);
  }

  @Test
  void socketsJoinAndSocketsLeave() {
    start(io -> { });
    ClientRecorder ann = user("ann");
    ClientRecorder bob = user("bob");
    ClientRecorder cid = user("cid");
    SocketIoServer io = server.io();

    Await.result(io.socketsJoin("news"));
    assertThat(byUser.values()).allSatisfy(s -> assertThat(s.rooms()).contains("news"));
    io.to("news").emit("headline", 1);
    for (ClientRecorder client : List.of(ann, bob, cid)) {
      assertThat(client.awaitEvent("headline").integer(0)).isEqualTo(1);
    }

    Await.result(io.in(byUser.get("ann").id()).socketsLeave("news"));
    assertThat(byUser.get("ann").rooms()).doesNotContain("news");
    Await.result(io.in("news").except(byUser.get("bob").id()).socketsJoin("weather"));
    assertThat(byUser.get("cid").rooms()).contains("news", "weather");
    assertThat(byUser.get("bob").rooms()).doesNotContain("weather");

    io.to("news").emit("headline", 2);
    io.to("weather").emit("forecast", "rain");
    assertThat(bob.awaitEvent("headline").integer(0)).isEqualTo(2);
    assertThat(cid.awaitEvent("headline").integer(0)).isEqualTo(2);
    assertThat(cid.awaitEvent("forecast").text(0)).isEqualTo("rain");
    barrier(ann, bob, cid);
  }

  @Test
  void disconnectSocketsWithoutCloseKeepsTheConnection() {
    BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
    BlockingQueue<Socket> chatSockets = new LinkedBlockingQueue<>();
    start(io -> {
      io.onConnection(socket -> socket.onDisconnect((reason, description) -> reasons.add("main:" + reason.text())));
      io.of("/chat").onConnection(socket -> {
        chatSockets.add(socket);
        socket.onDisconnect((reason, description) -> reasons.add("chat:" + reason.text()));
      });
    });
    Manager manager = clients.manager(Mode.WEBSOCKET);
    ClientRecorder main = clients.recorded(manager, "/").connect();
    ClientRecorder chat = clients.recorded(manager, "/chat").connect();
    main.awaitConnect();
    chat.awaitConnect();
    Socket chatSocket = Await.take(chatSockets);

    Await.result(server.io().disconnectSockets(false));
    main.awaitDisconnect("io server disconnect");
    assertThat(Await.take(reasons)).isEqualTo("main:server namespace disconnect");
    // The other namespace of the same connection stays.
    assertThat(server.io().connectionCount()).isEqualTo(1);
    assertThat(chatSocket.connected()).isTrue();
    server.io().of("/chat").emit("still", "here");
    assertThat(chat.awaitEvent("still").text(0)).isEqualTo("here");
    assertThat(reasons).isEmpty();
  }

  @Test
  void disconnectSocketsWithCloseClosesTheWholeConnection() {
    BlockingQueue<String> reasons = new LinkedBlockingQueue<>();
    start(io -> {
      io.onConnection(socket -> socket.onDisconnect((reason, description) -> reasons.add("main:" + reason.text())));
      io.of("/chat").onConnection(socket -> socket.onDisconnect((reason, description) -> reasons.add("chat:" + reason.text())));
    });
    Manager manager = clients.manager(Mode.WEBSOCKET);
    ClientRecorder main = clients.recorded(manager, "/").connect();
    ClientRecorder chat = clients.recorded(manager, "/chat").connect();
    main.awaitConnect();
    chat.awaitConnect();
    ClientRecorder other = user("other");

    Await.result(server.io().in(byUser.get("other").id()).disconnectSockets(true));
    other.awaitDisconnect("io server disconnect");
    assertThat(Await.take(reasons)).isEqualTo("main:server namespace disconnect");
    await().atMost(Await.TIMEOUT).until(() -> server.io().connectionCount() == 1);

    Await.result(server.io().of("/chat").disconnectSockets(true));
    chat.awaitDisconnect("io server disconnect");
    main.awaitDisconnect("io server disconnect");
    assertThat(List.of(Await.take(reasons), Await.take(reasons)))
        .containsExactlyInAnyOrder("main:server namespace disconnect", "chat:server namespace disconnect");
    await().atMost(Await.TIMEOUT).until(() -> server.io().connectionCount() == 0);
  }

  @Test
  void broadcastWithAcksCollectsEveryAnswer() {
    start(io -> { });
    ClientRecorder ann = user("ann");
    ClientRecorder bob = user("bob");
    ClientRecorder cid = user("cid");

    CompletableFuture<List<Args>> answers = server.io().timeout(Duration.ofSeconds(5)).emitWithAck("vote", "q1");
    ann.awaitEvent("vote").reply("ann-yes");
    bob.awaitEvent("vote").reply("bob-no");
    cid.awaitEvent("vote").reply("cid-yes", (Object) new byte[] {1});
    List<Args> result = Await.result(answers);
    assertThat(result).extracting(a -> a.text(0)).containsExactlyInAnyOrder("ann-yes", "bob-no", "cid-yes");
    assertThat(result).filteredOn(a -> "cid-yes".equals(a.text(0))).singleElement()
        .satisfies(a -> assertThat(a.bytes(1)).containsExactly(1));
  }

  @Test
  void broadcastWithAcksTimesOutWithThePartialAnswers() {
    start(io -> { });
    ClientRecorder ann = user("ann");
    ClientRecorder bob = user("bob");
    ClientRecorder silent = user("silent");

    CompletableFuture<List<Args>> answers = server.io().timeout(Duration.ofMillis(500)).emitWithAck("vote");
    ann.awaitEvent("vote").reply("a");
    bob.awaitEvent("vote").reply("b");
    ClientRecorder.Received unanswered = silent.awaitEvent("vote");

    Throwable failure = Await.failure(answers);
    assertThat(failure).isInstanceOf(AckTimeoutException.class);
    AckTimeoutException timeout = (AckTimeoutException) failure;
    assertThat(timeout.code()).isEqualTo("ACK_TIMEOUT");
    assertThat(timeout.received()).extracting(a -> a.text(0)).containsExactlyInAnyOrder("a", "b");

    // A late answer is ignored and harms nothing.
    unanswered.reply("late");
    barrier(ann, bob, silent);
  }

  @Test
  void broadcastWithAcksToNobodyCompletesEmpty() {
    Namespace[] family = new Namespace[1];
    start(io -> family[0] = io.of(Pattern.compile("/team-\\d+")));
    assertThat(Await.result(server.io().to("empty-room").timeout(Duration.ofSeconds(5)).emitWithAck("q"))).isEmpty();
    assertThat(Await.result(server.io().of("/unused").timeout(Duration.ofSeconds(5)).emitWithAck("q"))).isEmpty();
    // A dynamic namespace family with no child yet has nobody to wait for either.
    assertThat(Await.result(family[0].timeout(Duration.ofSeconds(5)).emitWithAck("q"))).isEmpty();
  }

  @Test
  void broadcastWithAcksOverADynamicFamily() {
    Namespace[] family = new Namespace[1];
    start(io -> family[0] = io.of(Pattern.compile("/team-\\d+")));
    ClientRecorder one = clients.connected("/team-1", Mode.WEBSOCKET);
    ClientRecorder two = clients.connected("/team-2", Mode.POLLING);
    CompletableFuture<List<Args>> answers = family[0].timeout(Duration.ofSeconds(5)).emitWithAck("roll-call");
    one.awaitEvent("roll-call").reply(1);
    two.awaitEvent("roll-call").reply(2);
    assertThat(Await.result(answers)).extracting(a -> a.get(0, Integer.class)).containsExactlyInAnyOrder(1, 2);
  }

  @Test
  void perSocketAckTimesOut() {
    start(io -> { });
    ClientRecorder ann = user("ann");
    CompletableFuture<Args> answer = byUser.get("ann").timeout(Duration.ofMillis(200)).emitWithAck("question", 1);
    ann.awaitEvent("question");
    Throwable failure = Await.failure(answer);
    assertThat(failure).isInstanceOf(AckTimeoutException.class);
    assertThat(((AckTimeoutException) failure).received()).isEmpty();
  }

  @Test
  void perSocketAckFailsWhenTheSocketDisconnects() {
    start(io -> { });
    ClientRecorder ann = user("ann");
    Socket socket = byUser.get("ann");
    CompletableFuture<Args> answer = socket.timeout(Duration.ofSeconds(30)).emitWithAck("question");
    ann.awaitEvent("question");
    ann.socket().disconnect();

    Throwable failure = Await.failure(answer);
    assertThat(failure).isInstanceOf(SocketIoException.class).isNotInstanceOf(AckTimeoutException.class);
    assertThat(((SocketIoException) failure).code()).isEqualTo("DISCONNECTED");

    // Once disconnected, asking again fails at once.
    Throwable again = Await.failure(socket.emitWithAck("question"));
    assertThat(((SocketIoException) again).code()).isEqualTo("DISCONNECTED");
  }

  @Test
  void volatileBroadcastSkipsPollingClientsWithoutAPendingRequest() throws Exception {
    start(io -> { });
    ClientRecorder ws = user("ws");
    HttpClient http = HttpClient.newHttpClient();
    String base = server.url() + server.io().options().path() + "?EIO=4&transport=polling";
    String open = http.send(HttpRequest.newBuilder(URI.create(base)).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(open).startsWith("0{\"sid\":\"");
    String sid = open.substring(9, open.indexOf('"', 9));
    String polling = base + "&sid=" + sid;
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(polling))
        .POST(HttpRequest.BodyPublishers.ofString("40")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.body()).isEqualTo("ok");
    Socket pollingSocket = Await.take(connected);
    while (pollingSocket.connectionId().equals(byUser.get("ws").connectionId())) {
      pollingSocket = Await.take(connected);
    }
    assertThat(pollingSocket.connectionId()).isEqualTo(sid);

    server.io().asVolatile().emit("volatile", 1);
    server.io().emit("regular", 2);

    // Nothing was waiting on the polling session: the volatile message is dropped there.
    String body = http.send(HttpRequest.newBuilder(URI.create(polling)).build(), HttpResponse.BodyHandlers.ofString()).body();
    assertThat(body).isEqualTo("40{\"sid\":\"" + pollingSocket.id() + "\"}\u001e42[\"regular\",2]");
    // A writable WebSocket takes it.
    assertThat(ws.awaitEvent("volatile").integer(0)).isEqualTo(1);
    assertThat(ws.awaitEvent("regular").integer(0)).isEqualTo(2);
  }

  @Test
  void connectionThatNeverJoinsANamespaceIsClosed() {
    SocketIoOptions options = SocketIoOptions.builder().connectTimeout(Duration.ofMillis(300)).build();
    start(options, io -> { });
    try (RawWebSocketClient joined = RawWebSocketClient.open(server)) {
      joined.send("40");
      assertThat(joined.awaitNonPing()).startsWith("40{\"sid\":");
      try (RawWebSocketClient idle = RawWebSocketClient.open(server)) {
        assertThat(idle.awaitClosed(Duration.ofSeconds(5))).isEqualTo(1000);
        // The one that joined in time was opened earlier and is still served.
        assertThat(joined.isClosed()).isFalse();
        server.io().emit("alive");
        assertThat(joined.awaitNonPing()).isEqualTo("42[\"alive\"]");
        await().atMost(Await.TIMEOUT).until(() -> server.io().connectionCount() == 1);
      }
    }
  }

  @Test
  void perUserRoomsReachEveryTabOfTheUser() {
    start(io -> io.onConnection(socket -> socket.handshake().authField("user")
        .ifPresent(user -> socket.joinUser(user.replaceAll("-tab\\d", "")))));
    ClientRecorder aliceTab1 = user("alice-tab1");
    ClientRecorder aliceTab2 = user("alice-tab2");
    ClientRecorder bob = user("bob");

    assertThat(byUser.get("alice-tab1").rooms()).contains(Rooms.user("alice"));
    server.io().toUser("alice").emit("dm", "hello alice");
    assertThat(aliceTab1.awaitEvent("dm").text(0)).isEqualTo("hello alice");
    assertThat(aliceTab2.awaitEvent("dm").text(0)).isEqualTo("hello alice");

    List<RemoteSocket> alice = Await.result(server.io().in(Rooms.user("alice")).fetchSockets());
    assertThat(alice).extracting(RemoteSocket::id)
        .containsExactlyInAnyOrder(byUser.get("alice-tab1").id(), byUser.get("alice-tab2").id());

    // From one tab to the user's other tabs: the sender is excluded.
    byUser.get("alice-tab1").to(Rooms.user("alice")).emit("sync", "tab1");
    assertThat(aliceTab2.awaitEvent("sync").text(0)).isEqualTo("tab1");
    barrier(aliceTab1, aliceTab2, bob);
  }

  @Test
  void roomsJoinedInAMiddlewareAreKept() {
    start(io -> io.use((socket, next) -> {
      String user = socket.handshake().authField("user").orElseThrow();
      socket.joinUser(user);
      socket.data().put("checked", true);
      // A later join from another thread, before the middleware lets the socket in.
      CompletableFuture.runAsync(() -> {
        socket.join("authenticated");
        next.proceed();
      });
    }));
    ClientRecorder ann = user("ann");
    Socket socket = byUser.get("ann");
    assertThat(socket.rooms()).containsExactlyInAnyOrder(socket.id(), Rooms.user("ann"), "authenticated");
    assertThat(socket.data()).containsEntry("checked", true);
    server.io().toUser("ann").emit("dm", 1);
    server.io().to("authenticated").emit("all", 2);
    assertThat(ann.awaitEvent("dm").integer(0)).isEqualTo(1);
    assertThat(ann.awaitEvent("all").integer(0)).isEqualTo(2);
    List<RemoteSocket> fetched = Await.result(server.io().in(Rooms.user("ann")).fetchSockets());
    assertThat(fetched).extracting(RemoteSocket::id).containsExactly(socket.id());
  }

  @Test
  void roomsJoinedByARefusedSocketLeaveNoTrace() {
    start(io -> io.use((socket, next) -> {
      socket.join("waiting-room");
      next.fail("no");
    }));
    ClientRecorder refused = ClientRecorder.record(clients.socket("/", Mode.WEBSOCKET)).connect();
    assertThat(refused.awaitConnectError().message()).isEqualTo("no");
    assertThat(Await.result(server.io().in("waiting-room").fetchSockets())).isEmpty();
    assertThat(server.io().sockets()).isEmpty();
  }

  @Test
  void middlewaresRunEverywhereThenFamilyThenNamespace() {
    List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
    start(io -> {
      io.useForAllNamespaces((socket, next) -> {
        order.add("all:" + socket.namespace().name());
        next.proceed();
      });
      io.use((socket, next) -> {
        order.add("main");
        next.proceed();
      });
      io.of(Pattern.compile("/org-\\w+")).use((socket, next) -> {
        order.add("family:" + socket.namespace().name());
        if (socket.namespace().name().equals("/org-closed")) {
          next.fail("closed", Map.of("org", "closed"));
        } else {
          next.proceed();
        }
      }).onConnection(socket -> socket.on("where", event -> event.ack(socket.namespace().name())));
    });
    user("ann");
    assertThat(order).containsExactly("all:/", "main");
    order.clear();

    ClientRecorder acme = clients.connected("/org-acme", Mode.WEBSOCKET);
    assertThat(order).containsExactly("all:/org-acme", "family:/org-acme");
    acme.emitWithAck("where", "where");
    assertThat(acme.awaitAck("where").args()).containsExactly("/org-acme");
    order.clear();

    ClientRecorder closed = ClientRecorder.record(clients.socket("/org-closed", Mode.WEBSOCKET)).connect();
    ClientRecorder.ConnectError error = closed.awaitConnectError();
    assertThat(error.message()).isEqualTo("closed");
    assertThat(order).containsExactly("all:/org-closed", "family:/org-closed");
  }

  @Test
  void exceptionsInListenersDoNotBreakTheConnection() {
    start(io -> {
      io.use((socket, next) -> {
        if (socket.handshake().authField("user").orElse("").equals("thrower")) {
          throw new IllegalStateException("middleware exploded");
        }
        next.proceed();
      });
      io.onConnection(socket -> {
        throw new IllegalStateException("connection listener exploded");
      });
      io.onConnection(socket -> {
        socket.onAny(event -> {
          if (event.name().equals("boom")) {
            throw new IllegalStateException("onAny exploded");
          }
        });
        socket.on("boom", event -> {
          throw new IllegalArgumentException("listener exploded");
        });
        socket.on("boom", event -> event.ack("second listener still ran"));
        socket.on("echo", event -> event.ack(event.args().toArray()));
        socket.onDisconnecting((reason, description) -> {
          throw new IllegalStateException("disconnecting listener exploded");
        });
      });
    });
    ClientRecorder ann = user("ann");
    ann.emitWithAck("boom", "boom");
    assertThat(ann.awaitAck("boom").args()).containsExactly("second listener still ran");
    ann.emitWithAck("echo", "echo", "x", 1);
    assertThat(ann.awaitAck("echo").args()).containsExactly("x", 1);
    assertThat(byUser.get("ann").connected()).isTrue();

    ClientRecorder thrower = clients.recorded("/", Mode.WEBSOCKET, Map.of("user", "thrower")).connect();
    assertThat(thrower.awaitConnectError().message()).isEqualTo("middleware exploded");

    BlockingQueue<DisconnectReason> reasons = new LinkedBlockingQueue<>();
    byUser.get("ann").onDisconnect((reason, description) -> reasons.add(reason));
    ann.socket().disconnect();
    assertThat(Await.take(reasons)).isEqualTo(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT);
    assertThat(Set.copyOf(server.io().sockets().keySet())).isEmpty();
  }

  @Test
  void serverSideEventsOnASingleNodeGoNowhereAndWaitForNobody() throws Exception {
    start(io -> io.onServerEvent("ping", event -> event.ack("never heard")));
    server.io().serverSideEmit("ping", 1);
    assertThat(server.io().serverSideEmitWithAck("ping", 1).get(1, java.util.concurrent.TimeUnit.SECONDS)).isEmpty();
    for (String reserved : List.of("connect", "connection", "disconnect", "disconnecting", "new_namespace")) {
      assertThatThrownBy(() -> server.io().serverSideEmit(reserved)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> server.io().onServerEvent(reserved, event -> {})).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
