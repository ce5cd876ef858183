package dev.switchboard.engineio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.EngineTestServer;
import dev.switchboard.testkit.LeakDetectionExtension;
import dev.switchboard.testkit.RawConnection;
import dev.switchboard.testkit.RawConnection.Answer;
import dev.switchboard.testkit.RawConnection.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A session's requests on different TCP connections, against a server on four event loops (so
 * they land on different loops): each race runs hundreds of times and must be answered the way
 * Node's engine.io answers it every time. Requests are written in order, each before the next
 * starts (the write has returned), as a client sending them one after the other does.
 */
@ExtendWith(LeakDetectionExtension.class)
class EngineRequestOrderTest {
  static final int EVENT_LOOPS = 4;
  static final int REPETITIONS = 300;
  static final int CLIENT_THREADS = 8;
  static final int CLOSE_WAIT_RUNS = 48;
  private static final Pattern SID = Pattern.compile("\"sid\":\"([^\"]+)\"");

  /** How the requests' connections are made: per request as {@code node-fetch} does, or ahead of time as browsers keep them. */
  enum Connections { NEW_PER_REQUEST, OPENED_AHEAD }

  private static EngineTestServer server;

  @BeforeAll
  static void start() {
    server = EngineTestServer.start(EngineIoOptions.defaults(), EVENT_LOOPS);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /**
   * The client's close packet ({@code 1} in a POST) sent after its long-poll GET: Node answers the
   * GET with a last noop ({@code 6}) and the POST with {@code ok}, never {@code Session ID unknown}.
   * Sessions run side by side ({@link #CLIENT_THREADS} at a time): the close's answer is held a moment.
   */
  @ParameterizedTest
  @EnumSource(Connections.class)
  void aCloseSentAfterThePendingGetEndsThatGetWithANoop(Connections connections) throws Exception {
    Map<String, Integer> wrong = new ConcurrentSkipListMap<>();
    repeatSideBySide(() -> {
      String sid = handshake();
      RawConnection get = connection(connections);
      RawConnection post = connection(connections);
      try (get; post) {
        get.writeRequest("GET", polling(sid), "Connection: close\r\n", "");
        post.writeRequest("POST", polling(sid), "Connection: close\r\nContent-Type: text/plain;charset=UTF-8\r\n", "1");
        String outcome = "GET " + get.readAnswer() + ", POST " + post.readAnswer();
        if (!outcome.equals("GET 200 6, POST 200 ok")) {
          wrong.merge(outcome, 1, Integer::sum);
        }
      }
    });
    assertThat(wrong).as("answers other than Node's in %d runs", REPETITIONS).isEmpty();
  }

  /**
   * A GET sent once the client's close was answered: the session is gone, as in Node
   * ({@code Session ID unknown}), however soon it comes. With no poll on its way, the close is
   * answered after the server's wait for one (a second), so these run {@link #CLOSE_WAIT_RUNS} times.
   */
  @Test
  void aGetSentAfterTheCloseWasAnsweredFindsNoSession() throws Exception {
    Map<String, Integer> wrong = new ConcurrentSkipListMap<>();
    repeatSideBySide(CLOSE_WAIT_RUNS, CLOSE_WAIT_RUNS, () -> {
      String sid = handshake();
      try (RawConnection post = RawConnection.post(server.port(), polling(sid), "1")) {
        assertThat(post.readAnswer().toString()).isEqualTo("200 ok");
      }
      try (RawConnection get = RawConnection.get(server.port(), polling(sid))) {
        String outcome = get.readAnswer().toString();
        if (!outcome.equals("400 {\"code\":1,\"message\":\"Session ID unknown\"}")) {
          wrong.merge(outcome, 1, Integer::sum);
        }
      }
    });
    assertThat(wrong).as("answers other than Node's in %d runs", CLOSE_WAIT_RUNS).isEmpty();
  }

  /** Runs {@code run} {@link #REPETITIONS} times, {@link #CLIENT_THREADS} at once; each run's session ends. */
  private static void repeatSideBySide(ThrowingRunnable run) throws Exception {
    repeatSideBySide(REPETITIONS, CLIENT_THREADS, run);
  }

  private static void repeatSideBySide(int repetitions, int threads, ThrowingRunnable run) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < repetitions; i++) {
        runs.add(clients.submit(() -> {
          run.run();
          return null;
        }));
      }
      for (Future<?> each : runs) {
        each.get(30, TimeUnit.SECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
    for (int i = 0; i < repetitions; i++) {
      assertThat(server.nextClose(java.time.Duration.ofSeconds(5))).as("session end %d", i).isNotNull();
    }
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /**
   * A GET sent after the upgrade packet {@code 5}: the session is on WebSocket now, so Node
   * answers {@code 400 Bad request}, never a noop.
   */
  @ParameterizedTest
  @EnumSource(Connections.class)
  void aGetSentAfterTheUpgradePacketIsABadRequest(Connections connections) throws Exception {
    Map<String, Integer> wrong = new TreeMap<>();
    for (int i = 0; i < REPETITIONS; i++) {
      String sid = handshake();
      RawConnection get = connection(connections);
      try (RawConnection ws = probed(sid); get) {
        ws.sendText("5");
        get.writeRequest("GET", polling(sid), "Connection: close\r\n", "");
        Answer polled = get.readAnswer();
        String outcome = polled.toString();
        if (!outcome.equals("400 {\"code\":3,\"message\":\"Bad request\"}")) {
          wrong.merge(outcome, 1, Integer::sum);
        }
        assertThat(server.upgraded().poll(5, TimeUnit.SECONDS)).isEqualTo(sid);
      }
      assertThat(server.nextClose(java.time.Duration.ofSeconds(5))).isNotNull();
    }
    assertThat(wrong).as("answers other than Node's in %d runs", REPETITIONS).isEmpty();
  }

  /**
   * A WebSocket for a session that already upgraded: Node accepts it ({@code 101}) and then closes
   * it with an empty close frame, every time; the session goes on.
   */
  @Test
  void aWebSocketForAnUpgradedSessionIsAcceptedThenClosed() throws Exception {
    Map<String, Integer> wrong = new TreeMap<>();
    for (int i = 0; i < REPETITIONS; i++) {
      String sid = handshake();
      try (RawConnection ws = probed(sid)) {
        ws.sendText("5");
        assertThat(server.upgraded().poll(5, TimeUnit.SECONDS)).isEqualTo(sid);
        String outcome;
        try (RawConnection second = RawConnection.webSocket(server.port(), webSocket(sid))) {
          outcome = acceptedThenClosed(second);
        }
        if (!outcome.equals("101, close 1005, end")) {
          wrong.merge(outcome, 1, Integer::sum);
        }
        ws.sendText("4still here");
        assertThat(ws.readFrame().text()).isEqualTo("4still here");
      }
      assertThat(server.nextClose(java.time.Duration.ofSeconds(5))).isNotNull();
    }
    assertThat(wrong).as("answers other than Node's in %d runs", REPETITIONS).isEmpty();
  }

  /** A second WebSocket while the first is still probing: accepted, then closed, as in Node. */
  @Test
  void aWebSocketDuringAnUpgradeIsAcceptedThenClosed() throws Exception {
    String sid = handshake();
    try (RawConnection ws = probed(sid);
        RawConnection second = RawConnection.webSocket(server.port(), webSocket(sid))) {
      assertThat(acceptedThenClosed(second)).isEqualTo("101, close 1005, end");
      ws.sendText("5");
      assertThat(server.upgraded().poll(5, TimeUnit.SECONDS)).isEqualTo(sid);
    }
    assertThat(server.nextClose(java.time.Duration.ofSeconds(5))).isNotNull();
  }

  /**
   * A poll that comes while the probe is answered waits for the next upgrade check, then gets a
   * noop, as in Node (it checks every 100 ms); the upgrade then goes on.
   */
  @Test
  void aPollDuringTheProbeGetsANoopAtTheNextCheck() throws Exception {
    String sid = handshake();
    try (RawConnection ws = probed(sid); RawConnection get = RawConnection.get(server.port(), polling(sid))) {
      assertThat(get.readAnswer().toString()).isEqualTo("200 6");
      ws.sendText("5");
      assertThat(server.upgraded().poll(5, TimeUnit.SECONDS)).isEqualTo(sid);
    }
    assertThat(server.nextClose(java.time.Duration.ofSeconds(5))).isNotNull();
  }

  private static String acceptedThenClosed(RawConnection connection) {
    Answer answer = connection.readAnswer();
    if (answer.status() != 101) {
      return answer.toString();
    }
    Frame frame = connection.readFrame();
    return "101, " + (frame == null ? "no frame" : frame) + (connection.closedByServer() ? ", end" : ", still open");
  }

  /** A new polling session's id. */
  static String handshake() {
    try (RawConnection open = RawConnection.get(server.port(), server.path() + "?EIO=4&transport=polling")) {
      Answer answer = open.readAnswer();
      assertThat(answer.status()).isEqualTo(200);
      Matcher sid = SID.matcher(answer.body());
      assertThat(sid.find()).as(answer.body()).isTrue();
      return sid.group(1);
    }
  }

  /** A WebSocket upgrading session {@code sid}, its probe answered. */
  private static RawConnection probed(String sid) {
    RawConnection ws = RawConnection.webSocket(server.port(), webSocket(sid));
    assertThat(ws.readAnswer().status()).isEqualTo(101);
    ws.sendText("2probe");
    assertThat(ws.readFrame().text()).isEqualTo("3probe");
    return ws;
  }

  private static RawConnection connection(Connections connections) {
    return connections == Connections.OPENED_AHEAD ? RawConnection.open(server.port()) : RawConnection.openOnFirstWrite(server.port());
  }

  private static String polling(String sid) {
    return server.path() + "?EIO=4&transport=polling&sid=" + sid;
  }

  private static String webSocket(String sid) {
    return server.path() + "?EIO=4&transport=websocket&sid=" + sid;
  }
}
