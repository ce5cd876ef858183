package dev.switchboard.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What a snapshot costs on a node with many rooms: 10,000 rooms (20 official Java clients, each in
 * 500 of them) and one room of all 20. Prints the snapshot's size and the time to take it over HTTP
 * ({@code GET /admin/snapshot}, round trip on the loopback), beside the Prometheus scrape of the
 * same node, each the median and 95th percentile of 50 sequential requests after 10 warm-ups.
 */
class OpsSnapshotCostTest {
  private static final int CLIENTS = 20;
  private static final int ROOMS_PER_CLIENT = 500;
  private static final int WARMUP = 10;
  private static final int RUNS = 50;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aSnapshotOfTenThousandRoomsIsSmallAndQuick() throws Exception {
    try (SwitchboardApp app = TestApps.start(OpsPageTest.adminSettings());
        StandaloneClients clients = new StandaloneClients(app::port)) {
      Timing empty = time(app, "/admin/snapshot");
      for (int i = 0; i < CLIENTS; i++) {
        clients.connect();
      }
      List<String> ids = new ArrayList<>(app.io().sockets().keySet());
      assertThat(ids).hasSize(CLIENTS);
      for (int i = 0; i < CLIENTS; i++) {
        int first = i * ROOMS_PER_CLIENT;
        String[] rooms = IntStream.range(first, first + ROOMS_PER_CLIENT).mapToObj(n -> "room-" + n).toArray(String[]::new);
        app.io().to(ids.get(i)).socketsJoin(rooms).get(10, TimeUnit.SECONDS);
        app.io().to(ids.get(i)).socketsJoin("everyone").get(10, TimeUnit.SECONDS);
      }
      Timing full = time(app, "/admin/snapshot");
      Timing metrics = time(app, "/metrics");
      JsonNode snapshot = new ObjectMapper().readTree(full.lastBody());
      assertThat(snapshot.path("nodes").get(0).path("roomCount").asInt()).isEqualTo(CLIENTS * ROOMS_PER_CLIENT + 1);
      assertThat(snapshot.path("rooms")).hasSize(ClusterSnapshots.ROOMS_SHOWN);
      assertThat(snapshot.path("rooms").get(0).path("room").asText()).isEqualTo("everyone");
      assertThat(snapshot.path("rooms").get(0).path("members").asInt()).isEqualTo(CLIENTS);
      System.out.printf("OPS_SNAPSHOT_COST no rooms: %d bytes, median %.2f ms, p95 %.2f ms; %d rooms: %d bytes, median %.2f ms,"
              + " p95 %.2f ms; Prometheus scrape of the same node: %d bytes, median %.2f ms, p95 %.2f ms%n",
          empty.lastBody().length(), empty.medianMillis(), empty.p95Millis(), CLIENTS * ROOMS_PER_CLIENT + 1,
          full.lastBody().length(), full.medianMillis(), full.p95Millis(),
          metrics.lastBody().length(), metrics.medianMillis(), metrics.p95Millis());
      assertThat(full.lastBody().length()).isLessThan(32 * 1024);
      assertThat(full.medianMillis()).isLessThan(500);
    }
  }

  private record Timing(List<Long> nanos, String lastBody) {
    double medianMillis() {
      return percentile(0.5);
    }

    double p95Millis() {
      return percentile(0.95);
    }

    private double percentile(double p) {
      List<Long> sorted = nanos.stream().sorted().toList();
      return sorted.get((int) Math.min(sorted.size() - 1, Math.round(p * (sorted.size() - 1)))) / 1e6;
    }
  }

  private Timing time(SwitchboardApp app, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .header("Authorization", OpsPageTest.basic(OpsPageTest.USER, OpsPageTest.PASSWORD)).timeout(Duration.ofSeconds(10)).build();
    List<Long> nanos = new ArrayList<>();
    String body = "";
    for (int i = 0; i < WARMUP + RUNS; i++) {
      long start = System.nanoTime();
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      long took = System.nanoTime() - start;
      assertThat(response.statusCode()).isEqualTo(200);
      if (i >= WARMUP) {
        nanos.add(took);
      }
      body = response.body();
    }
    return new Timing(nanos, body);
  }
}
