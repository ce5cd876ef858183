package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.http.HttpServer;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.sse.SseRoomOptions;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.SseReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Connections that hold a file descriptor without using it: clients trickling request headers
 * (slowloris), sockets that send nothing, keep-alive connections left idle. The server closes
 * each after its timeout, while well-behaved clients on WebSocket, long polling and SSE, whose
 * connections are quiet for longer than those timeouts, keep working.
 */
class SlowConnectionsTest {
  private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);
  /** Longer than the idle timeout: a long poll waits this long for a packet. */
  private static final Duration PING_INTERVAL = Duration.ofSeconds(5);
  private static final int ATTACKERS = 200;

  private SocketIoServer io;
  private HttpServer http;
  private JavaClients clients;
  private final List<HeldConnection> held = new ArrayList<>();
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() {
    io = SocketIoServer.create(SocketIoOptions.builder()
        .engine(EngineIoOptions.builder().path(SocketIoOptions.DEFAULT_PATH)
            .pingInterval(PING_INTERVAL).pingTimeout(PING_INTERVAL).build())
        .build());
    io.onConnection(socket -> {
      socket.join("news");
      socket.on("ping", event -> event.ack("pong", event.args().get(0)));
    });
    http = io.mountOn(HttpServer.builder().host("127.0.0.1").port(0).workerThreads(2)
            .headerTimeout(HEADER_TIMEOUT).idleTimeout(IDLE_TIMEOUT))
        .route("/sse", io.sseRoute(SseRoomOptions.DEFAULTS))
        .build().start();
    clients = new JavaClients("http://127.0.0.1:" + http.port());
  }

  @AfterEach
  void stop() {
    trickle.shutdownNow();
    held.forEach(HeldConnection::close);
    clients.close();
    io.close();
    http.close();
  }

  @Test
  void closesSlowlorisAndSilentConnectionsAfterTheHeaderTimeout() throws Exception {
    ClientRecorder before = clients.connected("/", Mode.WEBSOCKET);
    List<HeldConnection> slowloris = new ArrayList<>();
    List<HeldConnection> silent = new ArrayList<>();
    for (int i = 0; i < ATTACKERS; i++) {
      HeldConnection trickler = hold(HeldConnection.open(http.port()));
      trickler.send("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\n");
      slowloris.add(trickler);
      silent.add(hold(HeldConnection.open(http.port())));
    }
    trickle.scheduleWithFixedDelay(() -> slowloris.forEach(c -> c.send("X-Slow: 1\r\n")), 100, 100, TimeUnit.MILLISECONDS);

    // While they are held, a new client connects and works, and so does the one from before.
    ClientRecorder during = clients.connected("/", Mode.POLLING);
    assertRoundTrip(during, "during");
    assertRoundTrip(before, "before");

    for (HeldConnection connection : concat(slowloris, silent)) {
      assertThat(connection.awaitEnd(HEADER_TIMEOUT.toMillis() + 5_000)).as("closed by the server").isTrue();
      assertThat(connection.openMillis()).as("open until the header timeout")
          .isGreaterThanOrEqualTo(HEADER_TIMEOUT.toMillis() - 100);
      assertThat(connection.received()).as("no answer to an incomplete request").isEmpty();
    }
    assertRoundTrip(during, "after");
    assertRoundTrip(before, "after");
  }

  @Test
  void closesIdleKeepAliveConnectionsButNotQuietWebSocketLongPollOrSse() throws Exception {
    ClientRecorder webSocket = clients.connected("/", Mode.WEBSOCKET);
    ClientRecorder polling = clients.connected("/", Mode.POLLING);
    try (SseReader sse = SseReader.open(http.port(), "/sse?rooms=news")) {
      assertThat(sse.status()).isEqualTo(200);
      long quietSince = System.nanoTime();
      List<HeldConnection> idle = new ArrayList<>();
      for (int i = 0; i < ATTACKERS; i++) {
        HeldConnection connection = hold(HeldConnection.open(http.port()));
        connection.send("GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        idle.add(connection);
      }
      for (HeldConnection connection : idle) {
        assertThat(connection.awaitEnd(IDLE_TIMEOUT.toMillis() + 5_000)).as("closed by the server").isTrue();
        assertThat(connection.received()).as("answered, then kept alive").startsWith("HTTP/1.1 404");
        assertThat(connection.openMillis()).as("kept until the idle timeout, not the header timeout")
            .isGreaterThanOrEqualTo(IDLE_TIMEOUT.toMillis() - 100);
      }
      // The bystanders were quiet longer than the idle timeout: the polling client's long poll
      // waited for the whole ping interval. All of them still receive, on the same connection.
      assertThat(Duration.ofNanos(System.nanoTime() - quietSince)).isGreaterThan(IDLE_TIMEOUT);
      io.to("news").emit("headline", "still here");
      assertThat(webSocket.awaitEvent("headline").text(0)).isEqualTo("still here");
      assertThat(polling.awaitEvent("headline").text(0)).isEqualTo("still here");
      assertThat(sse.nextMessage(Duration.ofSeconds(5)).data()).contains("still here");
      assertRoundTrip(webSocket, "after");
      assertRoundTrip(polling, "after");
      webSocket.assertNoMoreEvents();
      polling.assertNoMoreEvents();
    }
  }

  @Test
  void aKeepAliveConnectionTricklingItsNextRequestIsClosedAfterTheHeaderTimeout() throws Exception {
    List<HeldConnection> tricklers = new ArrayList<>();
    for (int i = 0; i < ATTACKERS / 4; i++) {
      HeldConnection connection = hold(HeldConnection.open(http.port()));
      connection.send("GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /nowhere HTTP/1.1\r\n");
      tricklers.add(connection);
    }
    trickle.scheduleWithFixedDelay(() -> tricklers.forEach(c -> c.send("X-Slow: 1\r\n")), 100, 100, TimeUnit.MILLISECONDS);
    for (HeldConnection connection : tricklers) {
      assertThat(connection.awaitEnd(IDLE_TIMEOUT.toMillis() + 5_000)).as("closed by the server").isTrue();
      assertThat(connection.received()).as("the first request was answered").startsWith("HTTP/1.1 404");
      assertThat(connection.openMillis()).as("closed at the header timeout of the second request, before the idle timeout")
          .isBetween(HEADER_TIMEOUT.toMillis() - 100, IDLE_TIMEOUT.toMillis() - 200);
    }
  }

  private static void assertRoundTrip(ClientRecorder client, String text) {
    client.emitWithAck("ping-" + text, "ping", text);
    assertThat(client.awaitAck("ping-" + text).args()).containsExactly("pong", text);
  }

  private HeldConnection hold(HeldConnection connection) {
    held.add(connection);
    return connection;
  }

  private static List<HeldConnection> concat(List<HeldConnection> a, List<HeldConnection> b) {
    List<HeldConnection> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
