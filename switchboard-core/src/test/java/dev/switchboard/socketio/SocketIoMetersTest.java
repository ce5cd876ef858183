package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.limits.EventLimits;
import dev.switchboard.limits.RateLimit;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import dev.switchboard.testkit.WsClient;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the {@code switchboard.*} meters of a server given a registry read after known traffic. */
class SocketIoMetersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private TestServer server;
  private JavaClients clients;

  @AfterEach
  void tearDown() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start(SocketIoOptions.Builder options, java.util.function.Consumer<SocketIoServer> setup) {
    server = TestServer.start(options.meterRegistry(registry).build(), setup);
    clients = new JavaClients(server.url());
  }

  private double value(String name, String... tags) {
    Meter meter = registry.get(name).tags(tags).meter();
    double sum = 0;
    for (io.micrometer.core.instrument.Measurement measurement : meter.measure()) {
      sum += measurement.getValue();
    }
    return sum;
  }

  @Test
  void shouldCountConnectionsEventsDeliveriesRoomsAndTraffic() {
    start(SocketIoOptions.builder(), io -> io.onConnection(socket -> {
      socket.join("lobby");
      socket.on("say", event -> io.to("lobby").emit("said", event.args().get(0)));
    }));
    ClientRecorder first = clients.connected("/", Mode.WEBSOCKET);
    ClientRecorder second = clients.connected("/", Mode.WEBSOCKET);
    ClientRecorder third = clients.connected("/", Mode.POLLING);

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(value("switchboard.connections", "transport", "websocket")).isEqualTo(2);
      assertThat(value("switchboard.connections", "transport", "polling")).isEqualTo(1);
      assertThat(value("switchboard.sockets", "namespace", "/")).isEqualTo(3);
      // The three sockets' own rooms are not rooms here.
      assertThat(value("switchboard.rooms", "namespace", "/")).isEqualTo(1);
    });
    assertThat(value("switchboard.handshakes", "transport", "websocket", "result", "accepted")).isEqualTo(2);
    assertThat(value("switchboard.handshakes", "transport", "polling", "result", "accepted")).isEqualTo(1);

    for (ClientRecorder client : List.of(first, second, third)) {
      client.socket().emit("say", "hello");
    }
    for (ClientRecorder client : List.of(first, second, third)) {
      for (int i = 0; i < 3; i++) {
        client.awaitEvent("said");
      }
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(value("switchboard.events.received")).isEqualTo(3);
      assertThat(value("switchboard.events.sent")).isEqualTo(3);
      assertThat(value("switchboard.deliveries")).isEqualTo(9);
    });
    assertThat(value("switchboard.network.received")).isPositive();
    assertThat(value("switchboard.network.sent")).isPositive();

    first.socket().disconnect();
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(value("switchboard.connections", "transport", "websocket")).isEqualTo(1);
      assertThat(value("switchboard.disconnects", "reason", "transport close")).isEqualTo(1);
      assertThat(value("switchboard.sockets", "namespace", "/")).isEqualTo(2);
    });
  }

  @Test
  void shouldLeaveTheRegistryWhenTheServerCloses() {
    start(SocketIoOptions.builder(), io -> { });
    assertThat(registry.find("switchboard.connections").meters()).isNotEmpty();
    assertThat(registry.find("switchboard.eventloop.lag").meters()).isNotEmpty();
    server.close();
    server = null;
    assertThat(registry.getMeters()).noneMatch(meter -> meter.getId().getName().startsWith("switchboard."));
  }

  @Test
  void shouldTagADynamicNamespaceFamilyByItsPatternNotByEachName() {
    start(SocketIoOptions.builder(), io -> io.of(Pattern.compile("/team-\\d+")).onConnection(socket -> socket.join("desk")));
    clients.connected("/team-1", Mode.WEBSOCKET);
    clients.connected("/team-2", Mode.WEBSOCKET);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(value("switchboard.sockets", "namespace", "/team-\\d+")).isEqualTo(2);
      assertThat(value("switchboard.rooms", "namespace", "/team-\\d+")).isEqualTo(2);
    });
    assertThat(registry.find("switchboard.sockets").meters()).extracting(meter -> meter.getId().getTag("namespace"))
        .containsExactlyInAnyOrder("/", "/team-\\d+");
  }

  @Test
  void shouldCountRateLimitedEvents() {
    EventLimits limits = new EventLimits(Optional.of(new RateLimit(1, 2)), Optional.empty(), Map.of(), 0, 0);
    start(SocketIoOptions.builder().limits(limits), io -> io.onConnection(socket -> socket.on("tick", event -> { })));
    ClientRecorder client = clients.connected("/", Mode.WEBSOCKET);
    for (int i = 0; i < 6; i++) {
      client.socket().emit("tick", i);
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(value("switchboard.events.received")).isEqualTo(6);
      // A burst of 2 admitted; within the same second, at most one more token.
      assertThat(value("switchboard.events.rate.limited")).isBetween(3.0, 4.0);
    });
  }

  @Test
  void shouldCountRecoveredAndUnrecoveredSessions() throws Exception {
    ConnectionStateRecovery recovery = new ConnectionStateRecovery(Duration.ofMinutes(2), true, 1 << 20);
    start(SocketIoOptions.builder().connectionStateRecovery(recovery), io -> { });
    String sid;
    String pid;
    String offset;
    try (WsClient ws = WsClient.connect(server.port(), "/socket.io/", "EIO=4&transport=websocket")) {
      assertThat(ws.nextText()).startsWith("0");
      ws.send("40");
      JsonNode connected = JSON.readTree(ws.nextText().substring(2));
      sid = connected.get("sid").textValue();
      pid = connected.get("pid").textValue();
      server.io().emit("news", "a");
      JsonNode event = JSON.readTree(ws.nextText().substring(2));
      offset = event.get(2).textValue();
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.io().sockets().isEmpty());

    try (WsClient ws = WsClient.connect(server.port(), "/socket.io/", "EIO=4&transport=websocket")) {
      assertThat(ws.nextText()).startsWith("0");
      ws.send("40" + JSON.writeValueAsString(Map.of("pid", pid, "offset", offset)));
      assertThat(JSON.readTree(ws.nextText().substring(2)).get("sid").textValue()).isEqualTo(sid);
    }
    try (WsClient ws = WsClient.connect(server.port(), "/socket.io/", "EIO=4&transport=websocket")) {
      assertThat(ws.nextText()).startsWith("0");
      ws.send("40" + JSON.writeValueAsString(Map.of("pid", "no-such-session", "offset", offset)));
      assertThat(JSON.readTree(ws.nextText().substring(2)).get("sid").textValue()).isNotEqualTo(sid);
    }
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      assertThat(value("switchboard.recoveries", "result", "recovered")).isEqualTo(1);
      assertThat(value("switchboard.recoveries", "result", "failed")).isEqualTo(1);
    });
  }

  @Test
  void shouldSeeAnEventLoopHeldByAListener() {
    start(SocketIoOptions.builder().slowListenerThreshold(Duration.ZERO), io -> io.onConnection(socket -> socket.on("hold", event -> {
      // Deliberately blocks its loop, to be seen by the lag probe.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
      while (System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      event.ack("held");
    })));
    ClientRecorder client = clients.connected("/", Mode.WEBSOCKET);
    JavaClients.emitWithAck(client.socket(), "hold");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(registry.find("switchboard.eventloop.lag").timers())
        .anySatisfy(lag -> assertThat(lag.max(TimeUnit.MILLISECONDS)).isGreaterThan(200)));
    assertThat(registry.find("switchboard.eventloop.tasks.pending").gauges()).hasSize(2);
  }

  /** Meters of a server without a registry: none, anywhere. */
  @Test
  void shouldRegisterNothingWithoutARegistry() {
    MeterRegistry global = io.micrometer.core.instrument.Metrics.globalRegistry;
    int before = global.getMeters().size();
    server = TestServer.start(io -> { });
    clients = new JavaClients(server.url());
    clients.connected("/", Mode.WEBSOCKET);
    assertThat(global.getMeters()).hasSize(before);
    assertThat(server.io().options().meterRegistry()).isEmpty();
  }
}
