package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.http.HttpServer;
import dev.switchboard.limits.ConnectionLimits;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The total and per-IP connection caps count TCP connections as they are accepted, so sockets
 * that never complete a handshake cannot hold more than the caps allow. Each loopback address
 * (127.0.0.x) is its own client IP. Each refusal is counted, by the cap it passed.
 */
class AcceptCapsTest {
  private static final int PER_IP = 20;
  private static final int TOTAL = 50;
  private static final String REFUSAL = "HTTP/1.1 503";
  /** TCP connections admitted: a session may hold two. */
  private static final int TCP_PER_IP = 2 * PER_IP;
  private static final int TCP_TOTAL = 2 * TOTAL;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private SocketIoServer io;
  private HttpServer http;
  private final List<HeldConnection> held = new ArrayList<>();

  @BeforeEach
  void start() {
    io = SocketIoServer.create(SocketIoOptions.builder()
        .engine(EngineIoOptions.builder().path(SocketIoOptions.DEFAULT_PATH)
            .connectionLimits(new ConnectionLimits(TOTAL, PER_IP, Optional.empty())).build())
        .meterRegistry(registry)
        .build());
    // Header timeout long enough that no held socket is closed for its silence during the test.
    http = io.mountOn(HttpServer.builder().host("127.0.0.1").port(0).workerThreads(2)
        .headerTimeout(Duration.ofMinutes(1))).build().start();
  }

  @AfterEach
  void stop() {
    held.forEach(HeldConnection::close);
    io.close();
    http.close();
  }

  @Test
  void idleSocketsFromOneAddressBeyondThePerIpCapAreRefusedAtOnce() throws Exception {
    List<HeldConnection> attacker = new ArrayList<>();
    for (int i = 0; i < 3 * TCP_PER_IP; i++) {
      attacker.add(hold(HeldConnection.open(http.port(), "127.0.0.1")));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> attacker.stream().filter(HeldConnection::ended).count() >= 2 * TCP_PER_IP);
    List<HeldConnection> refused = attacker.stream().filter(HeldConnection::ended).toList();
    assertThat(refused).hasSize(2 * TCP_PER_IP);
    assertThat(refused).allSatisfy(c -> assertThat(c.received()).startsWith(REFUSAL).contains("TOO_MANY_CONNECTIONS"));
    assertThat(attacker.stream().filter(c -> !c.ended())).hasSize(TCP_PER_IP);
    assertThat(refusals("max_connections_per_ip")).isEqualTo(2 * TCP_PER_IP);
    assertThat(refusals("max_connections")).isZero();

    // A client from another address connects and completes an Engine.IO handshake.
    assertThat(handshake("127.0.0.2")).startsWith("HTTP/1.1 200").contains("\"sid\"");

    // Once the attacker lets one go, its address may open one more.
    attacker.stream().filter(c -> !c.ended()).findFirst().orElseThrow().close();
    await().atMost(Duration.ofSeconds(5)).until(() -> handshake("127.0.0.1").startsWith("HTTP/1.1 200"));
  }

  @Test
  void theTotalCapCountsSocketsThatNeverCompletedAHandshake() throws Exception {
    // One more than the cap, from several addresses each under the per-IP cap. The server admits
    // connections in the order its loops take them, not the order they were opened, so any one
    // of them may be the one refused.
    List<HeldConnection> open = new ArrayList<>();
    for (int address = 10; open.size() < TCP_TOTAL + 1; address++) {
      for (int i = 0; i < PER_IP && open.size() < TCP_TOTAL + 1; i++) {
        open.add(hold(HeldConnection.open(http.port(), "127.0.0." + address)));
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> open.stream().anyMatch(HeldConnection::ended));
    HeldConnection refused = open.stream().filter(HeldConnection::ended).findFirst().orElseThrow();
    assertThat(refused.received()).startsWith(REFUSAL).contains("TOO_MANY_CONNECTIONS");

    HeldConnection over = hold(HeldConnection.open(http.port(), "127.0.0.99"));
    assertThat(over.awaitEnd(5_000)).as("refused over the total cap").isTrue();
    assertThat(over.received()).startsWith(REFUSAL).contains("TOO_MANY_CONNECTIONS");
    assertThat(open.stream().filter(HeldConnection::ended)).containsExactly(refused);
    assertThat(refusals("max_connections")).isEqualTo(2);
    assertThat(refusals("max_connections_per_ip")).isZero();

    open.stream().filter(c -> !c.ended()).findFirst().orElseThrow().close();
    await().atMost(Duration.ofSeconds(5)).until(() -> handshake("127.0.0.99").startsWith("HTTP/1.1 200"));
  }

  private double refusals(String cap) {
    return registry.get("switchboard.connections.refused").tag("cap", cap).functionCounter().count();
  }

  /** An Engine.IO polling handshake from {@code from}, on a connection closed after the answer. */
  private String handshake(String from) throws InterruptedException {
    try (HeldConnection connection = HeldConnection.open(http.port(), from)) {
      connection.send("GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
      assertThat(connection.awaitEnd(5_000)).isTrue();
      return connection.received();
    }
  }

  private HeldConnection hold(HeldConnection connection) {
    held.add(connection);
    return connection;
  }
}
