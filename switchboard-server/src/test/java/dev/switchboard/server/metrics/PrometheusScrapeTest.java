package dev.switchboard.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.prometheus.PrometheusProcess;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real Prometheus scrapes the standalone server and answers PromQL about known traffic. */
class PrometheusScrapeTest {
  private static final int CLIENTS = 5;
  private static final Duration SCRAPED = Duration.ofSeconds(20);

  private SwitchboardApp app;
  private PrometheusProcess prometheus;
  private StandaloneClients clients;

  @AfterEach
  void stop() {
    if (clients != null) {
      clients.close();
    }
    if (prometheus != null) {
      prometheus.close();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void promqlAnswersTheConnectionsEventsAndDeliveriesOfKnownTraffic() throws Exception {
    // Without presence announcements, a room's deliveries are the publications only.
    app = TestApps.start(Map.of("demo", "false", "presence-events", "false"));
    prometheus = PrometheusProcess.start("/metrics", List.of("127.0.0.1:" + app.port()));
    await().atMost(SCRAPED).until(prometheus::targetsUp);
    assertThat(prometheus.value("sum(switchboard_connections)")).contains(0.0);

    clients = new StandaloneClients(app::port);
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      Socket socket = clients.connect();
      StandaloneClients.join(socket, "lobby");
      sockets.add(socket);
    }
    for (Socket socket : sockets) {
      assertThat(StandaloneClients.publish(socket, "lobby", "chat", "hello").optBoolean("ok")).isTrue();
    }

    // Each client sent room:join and room:publish; each publish reached the other four members.
    awaitValue("sum(switchboard_connections)", CLIENTS);
    awaitValue("switchboard_connections{transport=\"websocket\"}", CLIENTS);
    awaitValue("switchboard_sockets{namespace=\"/\"}", CLIENTS);
    awaitValue("switchboard_rooms{namespace=\"/\"}", 1);
    awaitValue("switchboard_events_received_total", 2 * CLIENTS);
    awaitValue("switchboard_deliveries_total", CLIENTS * (CLIENTS - 1));
    awaitValue("sum(switchboard_handshakes_total{result=\"accepted\"})", CLIENTS);
    assertThat(prometheus.value("switchboard_network_received_bytes_total").orElseThrow()).isPositive();
    assertThat(prometheus.value("count(switchboard_eventloop_lag_seconds_max)").orElseThrow()).isPositive();
    assertThat(prometheus.value("sum(jvm_memory_used_bytes)").orElseThrow()).isPositive();

    sockets.get(0).close();
    awaitValue("sum(switchboard_connections)", CLIENTS - 1);
    awaitValue("switchboard_disconnects_total{reason=\"transport close\"}", 1);
  }

  private void awaitValue(String promql, double expected) {
    await().atMost(SCRAPED).pollInterval(Duration.ofMillis(250)).untilAsserted(
        () -> assertThat(prometheus.value(promql)).as(promql).isEqualTo(Optional.of(expected)));
  }
}
