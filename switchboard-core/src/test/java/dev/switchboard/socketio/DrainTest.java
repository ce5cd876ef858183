package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.sse.SseRoomOptions;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.SseReader;
import dev.switchboard.testkit.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code io.drain(...)}: readiness turns at once, new connections are refused with 503, connected
 * clients leave at their turns spread over the window (as a transport close, so that they
 * reconnect), SSE streams end with a retry hint, acknowledgements in flight arrive first, the
 * participants are awaited, and the drain ends early when everyone is gone, or at its timeout.
 */
class DrainTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private TestServer server;
  private JavaClients clients;
  /** When each socket left the server, and why. */
  private final Map<String, Long> leftAt = new ConcurrentHashMap<>();
  private final List<DisconnectReason> reasons = new CopyOnWriteArrayList<>();

  private void start(java.util.function.Consumer<SocketIoServer> setup) {
    server = TestServer.start(SocketIoOptions.defaults(), io -> {
      io.onConnection(socket -> socket.onDisconnect((reason, description) -> {
        leftAt.put(socket.id(), System.nanoTime());
        reasons.add(reason);
      }));
      setup.accept(io);
    }, (io, http) -> http.route("/sse", io.sseRoute(SseRoomOptions.DEFAULTS)));
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

  @Test
  void readinessTurnsAtOnceAndNewConnectionsAreRefusedWith503WhileOpenOnesGoOn() throws Exception {
    start(io -> io.onConnection(socket -> socket.on("echo", event -> event.ack(event.args().get(0)))));
    io.socket.client.Socket connected = JavaClients.connectNow(clients.socket("/", Mode.WEBSOCKET));
    assertThat(server.io().draining()).isFalse();
    assertThat(handshakeOverPolling().statusCode()).isEqualTo(200);

    server.io().drain(DrainOptions.DEFAULTS.withWindow(Duration.ofSeconds(30)).withTimeout(Duration.ofSeconds(60)));

    assertThat(server.io().draining()).isTrue();
    HttpResponse<String> polling = handshakeOverPolling();
    assertThat(polling.statusCode()).isEqualTo(503);
    assertThat(polling.body()).contains("\"message\":\"Server draining");
    assertThat(webSocketHandshakeStatus()).isEqualTo(503);
    // The official client's answer to a refused handshake: a connect error, then its reconnection.
    io.socket.client.Socket refused = clients.socket("/", Mode.WEBSOCKET);
    CompletableFuture<Object> connectError = new CompletableFuture<>();
    refused.once(io.socket.client.Socket.EVENT_CONNECT_ERROR, args -> connectError.complete(args[0]));
    refused.connect();
    assertThat(connectError.get(5, TimeUnit.SECONDS)).isNotNull();
    // A client connected before the drain is served until its turn.
    assertThat(JavaClients.emitWithAck(connected, "echo", "still here")).containsExactly("still here");
  }

  @Test
  void clientsLeaveAtTurnsSpreadEvenlyOverTheWindowAsATransportClose() throws Exception {
    start(io -> { });
    int count = 100;
    List<CompletableFuture<String>> clientReasons = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      // Over polling: this Java client ignores a WebSocket close frame (it notices only by ping
      // timeout); the official clients' reconnection is the cluster drain test's.
      io.socket.client.Socket socket = clients.socket("/", Mode.POLLING);
      CompletableFuture<String> reason = new CompletableFuture<>();
      socket.on(io.socket.client.Socket.EVENT_DISCONNECT, args -> reason.complete(String.valueOf(args[0])));
      clientReasons.add(reason);
      JavaClients.connectNow(socket);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.io().sockets().size() == count);
    Duration window = Duration.ofSeconds(2);

    long started = System.nanoTime();
    DrainReport report = server.io().drain(DrainOptions.DEFAULTS.withWindow(window)).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    assertThat(leftAt).hasSize(count);
    assertThat(reasons).containsOnly(DisconnectReason.SERVER_SHUTTING_DOWN);
    for (CompletableFuture<String> reason : clientReasons) {
      // Not "io server disconnect", after which the official client would not reconnect.
      assertThat(reason.get(5, TimeUnit.SECONDS)).isEqualTo("transport close");
    }
    int[] quarters = new int[4];
    for (long at : leftAt.values()) {
      long sinceStart = at - started;
      assertThat(sinceStart).isLessThan(window.plusMillis(500).toNanos());
      quarters[(int) Math.min(3, sinceStart * 4 / window.toNanos())]++;
    }
    System.out.println("disconnections per quarter of the window: " + java.util.Arrays.toString(quarters)
        + "; drain report " + report);
    // Evenly: a quarter each (25), give or take scheduling noise.
    assertThat(java.util.Arrays.stream(quarters).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(15, 35));
    assertThat(report.connections()).isEqualTo(count);
    assertThat(report.complete()).isTrue();
    assertThat(report.took()).isBetween(window.multipliedBy(3).dividedBy(4), window.plusSeconds(2));
  }

  @Test
  void sseStreamsEndWithARetryHintAndNewOnesAreRefused() throws Exception {
    start(io -> { });
    List<SseReader> streams = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        SseReader stream = SseReader.open(server.port(), "/sse?rooms=news");
        assertThat(stream.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.retryMillis().isPresent());
        assertThat(stream.retryMillis()).hasValue(3000);
        streams.add(stream);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> server.io().sseStreamCount() == 3);

      CompletableFuture<DrainReport> drain = server.io().drain(DrainOptions.DEFAULTS
          .withWindow(Duration.ofMillis(500)).withSseRetry(Duration.ofSeconds(1))).toCompletableFuture();

      try (SseReader late = SseReader.open(server.port(), "/sse?rooms=news")) {
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.body()).hasValueSatisfying(body -> assertThat(body).contains("\"code\":\"DRAINING\""));
      }
      for (SseReader stream : streams) {
        assertThat(stream.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(stream.endedCleanly()).isTrue();
        assertThat(stream.retryMillis().orElseThrow()).isBetween(500L, 1500L);
      }
      DrainReport report = drain.get(5, TimeUnit.SECONDS);
      assertThat(report.sseStreams()).isEqualTo(3);
      assertThat(report.complete()).isTrue();
    } finally {
      streams.forEach(SseReader::close);
    }
  }

  @Test
  void theDrainEndsAsSoonAsEveryoneIsGone() throws Exception {
    start(io -> { });
    List<io.socket.client.Socket> sockets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sockets.add(JavaClients.connectNow(clients.socket("/", Mode.WEBSOCKET)));
    }
    CompletableFuture<DrainReport> drain = server.io().drain(DrainOptions.DEFAULTS
        .withWindow(Duration.ofSeconds(30)).withTimeout(Duration.ofSeconds(60))).toCompletableFuture();
    long leaving = System.nanoTime();
    sockets.forEach(io.socket.client.Socket::disconnect);

    DrainReport report = drain.get(5, TimeUnit.SECONDS);
    assertThat(Duration.ofNanos(System.nanoTime() - leaving)).isLessThan(Duration.ofSeconds(2));
    assertThat(report.complete()).isTrue();
  }

  @Test
  void aServerWithoutConnectionsDrainsAtOnce() throws Exception {
    start(io -> { });
    DrainReport report = server.io().drain(Duration.ofSeconds(10)).toCompletableFuture().get(2, TimeUnit.SECONDS);
    assertThat(report.took()).isLessThan(Duration.ofSeconds(1));
    assertThat(report.connections()).isZero();
  }

  @Test
  void acknowledgementsInFlightArriveBeforeTheConnectionCloses() throws Exception {
    CountDownLatch received = new CountDownLatch(1);
    start(io -> io.onConnection(socket -> socket.on("slow", event -> {
      received.countDown();
      // Answered later, off the event: as a handler that waits for a database does.
      event.socket().executor().schedule(() -> event.ack("done"), 300, TimeUnit.MILLISECONDS);
    })));
    io.socket.client.Socket socket = JavaClients.connectNow(clients.socket("/", Mode.WEBSOCKET));
    CompletableFuture<Object> answer = new CompletableFuture<>();
    socket.emit("slow", new Object[] {1}, args -> answer.complete(args[0]));
    // And the other way: the server waits for the client's answer, which comes after 300 ms.
    socket.on("question", args -> {
      io.socket.client.Ack ack = (io.socket.client.Ack) args[args.length - 1];
      CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(() -> ack.call("yes"));
    });
    assertThat(received.await(5, TimeUnit.SECONDS)).isTrue();
    Socket serverSide = server.io().sockets().values().iterator().next();
    CompletableFuture<Args> question = serverSide.timeout(Duration.ofSeconds(5)).emitWithAck("question");

    DrainReport report = server.io().drain(DrainOptions.DEFAULTS.withWindow(Duration.ZERO)).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);

    assertThat(answer.get(1, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(question.get(1, TimeUnit.SECONDS).get(0).asText()).isEqualTo("yes");
    assertThat(report.took()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(report.complete()).isTrue();
  }

  @Test
  void theTimeoutClosesWhatIsLeftAndEndsTheDrain() throws Exception {
    // Never answered: the connection would wait for its ack longer than the drain may last.
    CountDownLatch received = new CountDownLatch(1);
    start(io -> io.onConnection(socket -> socket.on("never", event -> received.countDown())));
    io.socket.client.Socket socket = JavaClients.connectNow(clients.socket("/", Mode.POLLING));
    BlockingQueue<String> disconnects = new LinkedBlockingQueue<>();
    socket.on(io.socket.client.Socket.EVENT_DISCONNECT, args -> disconnects.add(String.valueOf(args[0])));
    socket.emit("never", new Object[] {1}, args -> { });
    assertThat(received.await(5, TimeUnit.SECONDS)).isTrue();

    long started = System.nanoTime();
    DrainReport report = server.io().drain(DrainOptions.DEFAULTS.withWindow(Duration.ZERO)
        .withTimeout(Duration.ofSeconds(1)).withAckWait(Duration.ofSeconds(30))).toCompletableFuture()
        .get(5, TimeUnit.SECONDS);

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofMillis(1500));
    assertThat(report.cut()).isEqualTo(1);
    assertThat(report.complete()).isFalse();
    assertThat(disconnects.poll(5, TimeUnit.SECONDS)).isEqualTo("transport close");
  }

  @Test
  void participantsRunOnceTheConnectionsAreGoneAndAreAwaited() throws Exception {
    start(io -> { });
    JavaClients.connectNow(clients.socket("/", Mode.WEBSOCKET));
    AtomicInteger connectionsWhenCalled = new AtomicInteger(-1);
    List<Duration> timeLeft = new CopyOnWriteArrayList<>();
    DrainParticipant flush = left -> {
      connectionsWhenCalled.set(server.io().connectionCount());
      timeLeft.add(left);
      return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
    };
    DrainParticipant stuck = left -> new CompletableFuture<>();

    DrainReport finished = server.io().drain(DrainOptions.DEFAULTS.withWindow(Duration.ZERO).withParticipant(flush))
        .toCompletableFuture().get(5, TimeUnit.SECONDS);

    assertThat(connectionsWhenCalled.get()).isZero();
    assertThat(timeLeft).singleElement().satisfies(left -> assertThat(left).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30)));
    assertThat(finished.took()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(finished.participantsFinished()).isTrue();
    tearDown();

    start(io -> { });
    DrainReport unfinished = server.io().drain(DrainOptions.DEFAULTS.withTimeout(Duration.ofMillis(500))
        .withParticipant(stuck)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(unfinished.participantsFinished()).isFalse();
    assertThat(unfinished.took()).isBetween(Duration.ofMillis(400), Duration.ofMillis(1500));
  }

  private HttpResponse<String> handshakeOverPolling() throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/socket.io/?EIO=4&transport=polling")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private int webSocketHandshakeStatus() {
    try {
      WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(
          URI.create("ws://127.0.0.1:" + server.port() + "/socket.io/?EIO=4&transport=websocket"),
          new WebSocket.Listener() { }).join();
      ws.abort();
      return 101;
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }
}
