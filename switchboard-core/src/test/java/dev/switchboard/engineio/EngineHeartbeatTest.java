package dev.switchboard.engineio;

import static dev.switchboard.engineio.EngineHandshakeTest.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.EngineTestServer;
import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.WsClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Heartbeat timing with pingInterval=300ms and pingTimeout=200ms. Server and client share the
 * clock: intervals start when the server opened the session (and scheduled its first ping) and
 * end when the client saw the packet, so they may run late (scheduling, a busy machine) but never
 * early. Intervals measured from a client-side start may look a little short.
 */
class EngineHeartbeatTest {
  private static final long INTERVAL = 300;
  private static final long TIMEOUT = 200;
  /**
   * How much later than due a packet may be seen: a few tens of ms on an idle machine, more when
   * builds share few cores. Tighten with {@code -Dswitchboard.test.lateMs=40}.
   */
  private static final long LATE = Long.getLong("switchboard.test.lateMs", 150);
  /** How much earlier than due a packet may look when the interval starts on the client. */
  private static final long EARLY = 30;
  private static final Duration WAIT = Duration.ofSeconds(5);

  private EngineTestServer server;
  private PollingClient client;

  /** Loads the HTTP and WebSocket client code once, so that no first request is slow to be read. */
  @BeforeAll
  static void warmUp() throws Exception {
    try (EngineTestServer warm = EngineTestServer.start();
        PollingClient polling = new PollingClient(warm.port(), warm.path())) {
      String sid = polling.handshake().sid();
      polling.push(sid, "4warm");
      assertThat(polling.poll(sid).body()).isEqualTo("4warm");
      try (WsClient ws = WsClient.connect(warm.port(), warm.path(), "EIO=4&transport=websocket")) {
        ws.nextText();
        ws.send("4warm");
        assertThat(ws.nextText()).isEqualTo("4warm");
      }
    }
  }

  @BeforeEach
  void start() {
    server = EngineTestServer.start(EngineIoOptions.builder()
        .pingInterval(Duration.ofMillis(INTERVAL)).pingTimeout(Duration.ofMillis(TIMEOUT)).build());
    client = new PollingClient(server.port(), server.path());
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void polling_pings_come_every_ping_interval_as_long_as_the_client_pongs() {
    String sid = client.handshake().sid();

    HttpResponse<String> first = client.poll(sid);
    assertThat(first.body()).isEqualTo("2");
    assertDue("first ping", server.openedAtNanos(sid), System.nanoTime(), INTERVAL);

    for (int i = 1; i <= 2; i++) {
      assertThat(client.push(sid, "3").body()).isEqualTo("ok");
      long ponged = System.nanoTime();
      HttpResponse<String> poll = client.poll(sid);
      assertThat(poll.body()).isEqualTo("2");
      assertAbout("ping " + i + " after a pong", ponged, System.nanoTime(), INTERVAL);
    }
    assertThat(server.session(sid).isOpen()).isTrue();
  }

  @Test
  void a_polling_client_that_never_pongs_gets_a_close_packet_after_ping_timeout() throws Exception {
    String sid = client.handshake().sid();
    assertThat(client.poll(sid).body()).isEqualTo("2");

    HttpResponse<String> end = client.poll(sid);
    long ended = System.nanoTime();

    assertThat(end.body()).isEqualTo("1");
    EngineTestServer.Closed closed = server.nextClose(WAIT);
    assertThat(closed.reason()).isEqualTo(CloseReason.PING_TIMEOUT);
    assertDue("close", server.openedAtNanos(sid), closed.atNanos(), INTERVAL + TIMEOUT);
    assertDue("close packet", closed.atNanos(), ended, 0);
    assertError(client.poll(sid), 1, "Session ID unknown");
  }

  @Test
  void a_polling_client_that_stops_polling_is_closed_after_ping_interval_plus_ping_timeout() throws Exception {
    String sid = client.handshake().sid();

    EngineTestServer.Closed closed = server.nextClose(WAIT);

    assertThat(closed.sid()).isEqualTo(sid);
    assertThat(closed.reason()).isEqualTo(CloseReason.PING_TIMEOUT);
    assertDue("close", server.openedAtNanos(sid), closed.atNanos(), INTERVAL + TIMEOUT);
    assertError(client.poll(sid), 1, "Session ID unknown");
  }

  @Test
  void websocket_pings_come_every_ping_interval_as_long_as_the_client_pongs() throws Exception {
    try (WsClient ws = WsClient.connect(server.port(), server.path(), "EIO=4&transport=websocket")) {
      String sid = PollingClient.parse(ws.nextText().substring(1)).get("sid").asText();

      assertThat(ws.nextText()).isEqualTo("2");
      assertDue("first ping", server.openedAtNanos(sid), ws.lastMessageAtNanos(), INTERVAL);

      for (int i = 1; i <= 2; i++) {
        ws.send("3");
        long ponged = System.nanoTime();
        assertThat(ws.nextText()).isEqualTo("2");
        assertAbout("ping " + i + " after a pong", ponged, ws.lastMessageAtNanos(), INTERVAL);
      }
      assertThat(ws.closed()).isNotDone();
    }
  }

  @Test
  void a_websocket_client_that_never_pongs_is_closed_after_ping_timeout() throws Exception {
    try (WsClient ws = WsClient.connect(server.port(), server.path(), "EIO=4&transport=websocket")) {
      String sid = PollingClient.parse(ws.nextText().substring(1)).get("sid").asText();
      assertThat(ws.nextText()).isEqualTo("2");
      assertDue("ping", server.openedAtNanos(sid), ws.lastMessageAtNanos(), INTERVAL);

      assertThat(ws.closed()).succeedsWithin(WAIT).as("closed with a close frame").isEqualTo(1000);
      EngineTestServer.Closed closed = server.nextClose(WAIT);
      assertThat(closed.reason()).isEqualTo(CloseReason.PING_TIMEOUT);
      assertDue("close", server.openedAtNanos(sid), closed.atNanos(), INTERVAL + TIMEOUT);
      assertDue("end of the connection", closed.atNanos(), ws.closedAtNanos(), 0);
    }
  }

  /**
   * {@code at} is {@code dueMs} after {@code from}, or at most {@link #LATE} later; never earlier
   * (but for the millisecond or two between the server scheduling and recording the start).
   */
  private static void assertDue(String what, long fromNanos, long atNanos, long dueMs) {
    long elapsed = TimeUnit.NANOSECONDS.toMillis(atNanos - fromNanos);
    assertThat(elapsed).as("%s seen %d ms after the start, due after %d ms", what, elapsed, dueMs)
        .isBetween(dueMs - 2, dueMs + LATE);
  }

  /** Like {@link #assertDue} for an interval started on the client, which may look a little short. */
  private static void assertAbout(String what, long fromNanos, long atNanos, long dueMs) {
    long elapsed = TimeUnit.NANOSECONDS.toMillis(atNanos - fromNanos);
    assertThat(elapsed).as("%s seen %d ms after the start, due after about %d ms", what, elapsed, dueMs)
        .isBetween(dueMs - EARLY, dueMs + LATE);
  }
}
