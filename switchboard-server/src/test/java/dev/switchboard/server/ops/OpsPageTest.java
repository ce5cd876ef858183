package dev.switchboard.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.redis.RedisProcess;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The ops page's gate and feed over real HTTP: HTTP Basic against a bcrypt hash, open only on
 * loopback with {@code --admin-auth none}, absent without {@code --admin}; the stream sends a
 * snapshot of this node every 2 s.
 */
class OpsPageTest {
  static final String USER = "ops";
  static final String PASSWORD = "correct horse battery staple";
  /** Cost 4, the lowest bcrypt allows: the test checks the gate, not the hash's strength. */
  static final String HASH = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  static Map<String, String> adminSettings(String... more) {
    Map<String, String> settings = new HashMap<>(Map.of("demo", "false", "admin", "true", "admin-username", USER,
        "admin-password-hash", HASH));
    for (int i = 0; i < more.length; i += 2) {
      settings.put(more[i], more[i + 1]);
    }
    return settings;
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> get(SwitchboardApp app, String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutOrWithWrongCredentialsTheAnswerIs401WithABasicChallenge() throws Exception {
    try (SwitchboardApp app = TestApps.start(adminSettings())) {
      List<HttpResponse<String>> refused = List.of(
          get(app, "/admin/"),
          get(app, "/admin/", "Authorization", basic(USER, "wrong password")),
          get(app, "/admin/", "Authorization", basic("admin", PASSWORD)),
          get(app, "/admin/", "Authorization", "Basic not-base64!"),
          get(app, "/admin/", "Authorization", "Bearer " + PASSWORD),
          get(app, "/admin/stream"),
          get(app, "/admin/snapshot", "Authorization", basic(USER, "")),
          get(app, "/admin/ops.js"));
      for (HttpResponse<String> response : refused) {
        assertThat(response.statusCode()).as("%s", response.request().headers().map()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(challenge ->
            assertThat(challenge).startsWith("Basic realm=\"Switchboard admin\""));
        assertThat(response.body()).doesNotContain("Switchboard ops");
      }
      // The server is unharmed: the right pair still opens the page.
      assertThat(get(app, "/admin/", "Authorization", basic(USER, PASSWORD)).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theRightCredentialsOpenThePageItsFilesAndItsSnapshot() throws Exception {
    try (SwitchboardApp app = TestApps.start(adminSettings())) {
      String auth = basic(USER, PASSWORD);
      HttpResponse<String> page = get(app, "/admin/", "Authorization", auth);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
      assertThat(page.body()).contains("<title>Switchboard ops</title>", "https://admin.socket.io/");
      assertThat(get(app, "/admin/ops.js", "Authorization", auth).statusCode()).isEqualTo(200);
      assertThat(get(app, "/admin/ops.css", "Authorization", auth).statusCode()).isEqualTo(200);
      assertThat(get(app, "/admin/nothing.js", "Authorization", auth).statusCode()).isEqualTo(404);
      HttpResponse<String> snapshot = get(app, "/admin/snapshot", "Authorization", auth);
      assertThat(snapshot.statusCode()).isEqualTo(200);
      JsonNode json = MAPPER.readTree(snapshot.body());
      assertThat(json.path("nodes")).hasSize(1);
      assertThat(json.path("partial").asBoolean()).isFalse();
      assertThat(json.path("nodes").get(0).path("node").asText()).isEqualTo(json.path("node").asText());
      assertThat(json.path("nodes").get(0).path("redis").asText()).isEqualTo("none");

      HttpResponse<String> bare = get(app, "/admin");
      assertThat(bare.statusCode()).isEqualTo(301);
      assertThat(bare.headers().firstValue("Location")).hasValue("/admin/");
    }
  }

  @Test
  void withoutAdminThereIsNoPage() throws Exception {
    try (SwitchboardApp app = TestApps.start(Map.of("demo", "false"))) {
      assertThat(get(app, "/admin/", "Authorization", basic(USER, PASSWORD)).statusCode()).isEqualTo(404);
      assertThat(get(app, "/admin/stream").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void authNoneOpensThePageOnLoopbackOnly() throws Exception {
    try (SwitchboardApp app = TestApps.start(Map.of("demo", "false", "admin", "true", "admin-auth", "none"))) {
      assertThat(get(app, "/admin/").statusCode()).isEqualTo(200);
      assertThat(get(app, "/admin/snapshot").statusCode()).isEqualTo(200);
    }
    assertThatThrownBy(() -> ServerConfig.from(TestApps.values(Map.of("admin", "true", "admin-auth", "none", "host", "0.0.0.0"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("admin-auth").hasMessageContaining("loopback");
    assertThatThrownBy(() -> ServerConfig.from(TestApps.values(Map.of("admin", "true"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("admin-password-hash");
    assertThatThrownBy(() -> ServerConfig.from(TestApps.values(Map.of("admin", "true", "admin-password-hash", "plain-text-password"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("must be a bcrypt hash");
    assertThatThrownBy(() -> ServerConfig.from(TestApps.values(Map.of("admin", "true", "admin-auth", "digest"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("basic or none");
    assertThat(ServerConfig.from(TestApps.values(Map.of("admin", "true", "admin-password-hash", HASH))).admin().toString())
        .doesNotContain(HASH);
  }

  @Test
  void theSnapshotCountsSseStreamsByRoom() throws Exception {
    try (SwitchboardApp app = TestApps.start(adminSettings())) {
      HttpResponse<InputStream> both = openSse(app, "news,sports");
      HttpResponse<InputStream> news = openSse(app, "news");
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode snapshot = snapshot(app);
        assertThat(snapshot.path("nodes").get(0).path("connections").path("sse").asInt()).isEqualTo(2);
        assertThat(snapshot.path("sseRooms").toString()).isEqualTo("[{\"room\":\"news\",\"streams\":2},{\"room\":\"sports\",\"streams\":1}]");
        assertThat(snapshot.path("rooms").get(0).path("room").asText()).isEqualTo("news");
        assertThat(snapshot.path("rooms").get(0).path("sse").asInt()).isEqualTo(2);
      });
      both.body().close();
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(snapshot(app).path("sseRooms").toString()).isEqualTo("[{\"room\":\"news\",\"streams\":1}]"));
      news.body().close();
    }
  }

  @Test
  void theSnapshotCarriesRateLimitedEventsAndTheWebhookQueue() throws Exception {
    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    try (SwitchboardApp app = TestApps.start(adminSettings("event-rate", "1", "disconnect-after-refusals", "0",
            "webhook-url", "http://127.0.0.1:" + closedPort + "/hooks", "webhook-secret", "ops-page-test-webhook-secret",
            "webhook-retries", "5"));
        StandaloneClients clients = new StandaloneClients(app::port)) {
      io.socket.client.Socket socket = clients.connect();
      for (int i = 0; i < 20; i++) {
        socket.emit("room:join", new org.json.JSONObject(Map.of("room", "busy")));
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        JsonNode node = snapshot(app).path("nodes").get(0);
        assertThat(node.path("counters").path("rateLimited").asLong()).isGreaterThanOrEqualTo(10);
        // The connect event waits in the queue between retries of a backend that is not there.
        assertThat(node.path("webhooks").path("queued").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(node.path("webhooks").path("retried").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(node.path("webhooks").path("endpoints").asInt()).isEqualTo(1);
      });
    }
  }

  @Test
  void theRedisLinkShowsDownWhileRedisIsAwayAndUpAgainAfter() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp app = TestApps.start(adminSettings("redis", redis.uri(), "redis-timeout", "200ms"))) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(snapshot(app).path("nodes").get(0).path("redis").asText()).isEqualTo("up"));
      redis.kill();
      Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
        JsonNode snapshot = snapshot(app);
        assertThat(snapshot.path("nodes").get(0).path("redis").asText()).isEqualTo("down");
        assertThat(snapshot.path("nodes").get(0).path("redisOutages").asLong()).isGreaterThanOrEqualTo(1);
      });
      redis.startAgain();
      Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
          assertThat(snapshot(app).path("nodes").get(0).path("redis").asText()).isEqualTo("up"));
    }
  }

  private HttpResponse<InputStream> openSse(SwitchboardApp app, String rooms) throws Exception {
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + app.port() + "/sse?rooms=" + rooms)).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    return response;
  }

  private JsonNode snapshot(SwitchboardApp app) throws Exception {
    HttpResponse<String> response = get(app, "/admin/snapshot", "Authorization", basic(USER, PASSWORD));
    assertThat(response.statusCode()).isEqualTo(200);
    return MAPPER.readTree(response.body());
  }

  @Test
  void theStreamSendsASnapshotEveryTwoSeconds() throws Exception {
    try (SwitchboardApp app = TestApps.start(adminSettings())) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/admin/stream"))
          .header("Authorization", basic(USER, PASSWORD)).build();
      HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
      List<Long> arrivals = new ArrayList<>();
      List<JsonNode> snapshots = new ArrayList<>();
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String event = "";
        String line;
        while (snapshots.size() < 5 && (line = lines.readLine()) != null) {
          if (line.startsWith("event:")) {
            event = line.substring(6).trim();
          } else if (line.startsWith("data:") && event.equals("snapshot")) {
            arrivals.add(System.nanoTime());
            snapshots.add(MAPPER.readTree(line.substring(5).trim()));
          }
        }
      }
      assertThat(snapshots).hasSize(5);
      for (JsonNode snapshot : snapshots) {
        assertThat(snapshot.path("nodes")).hasSize(1);
        assertThat(snapshot.path("node").asText()).isNotEmpty();
      }
      // The first snapshot has no rates yet (nothing to compare with); the next ones do.
      assertThat(snapshots.get(0).path("totals").path("perSecond").path("deliveries").isNull()).isTrue();
      assertThat(snapshots.get(2).path("totals").path("perSecond").path("deliveries").isNumber()).isTrue();
      List<Long> gaps = new ArrayList<>();
      for (int i = 1; i < arrivals.size(); i++) {
        gaps.add(Duration.ofNanos(arrivals.get(i) - arrivals.get(i - 1)).toMillis());
      }
      System.out.println("OPS_STREAM_GAPS_MS " + gaps);
      assertThat(gaps).allSatisfy(gap -> assertThat(gap).isBetween(1500L, 2500L));
    }
  }
}
