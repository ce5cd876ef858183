package dev.switchboard.testkit.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Prometheus server of the test's own: on a free loopback port, with its own storage in a
 * temporary directory, scraping the given targets every second. Queries go through its HTTP API
 * ({@code /api/v1/query}), as a dashboard or an alert rule would ask. Uses {@code PROMETHEUS}, or
 * {@code prometheus} on the PATH, or {@code /usr/bin/prometheus} (Debian's package).
 */
public final class PrometheusProcess implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path directory;
  private final int port;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private PrometheusProcess(Process process, Path directory, int port) {
    this.process = process;
    this.directory = directory;
    this.port = port;
  }

  /**
   * Starts Prometheus scraping {@code metricsPath} of each {@code host:port} in {@code targets}
   * every second, and waits until it is ready; fails when {@code prometheus} is missing.
   */
  public static PrometheusProcess start(String metricsPath, List<String> targets) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path directory = Files.createTempDirectory("prometheus-");
    String config = "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        + "scrape_configs:\n  - job_name: switchboard\n    metrics_path: " + metricsPath + "\n"
        + "    static_configs:\n      - targets: [" + targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")) + "]\n";
    Files.writeString(directory.resolve("prometheus.yml"), config);
    Process process = new ProcessBuilder(binary(), "--config.file=" + directory.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true)
        .redirectOutput(directory.resolve("prometheus.log").toFile())
        .start();
    PrometheusProcess prometheus = new PrometheusProcess(process, directory, port);
    try {
      Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100))
          .until(() -> prometheus.ready() || !process.isAlive());
    } catch (ConditionTimeoutException e) {
      // reported below
    }
    if (!prometheus.ready()) {
      String log = Files.readString(directory.resolve("prometheus.log"));
      prometheus.close();
      throw new IOException("prometheus did not become ready on port " + port + " (is it installed?):\n" + log);
    }
    return prometheus;
  }

  private static String binary() {
    String configured = System.getenv("PROMETHEUS");
    if (configured != null && !configured.isEmpty()) {
      return configured;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "prometheus"))) {
        return Path.of(dir, "prometheus").toString();
      }
    }
    return "/usr/bin/prometheus";
  }

  /** Its HTTP API's base, {@code http://127.0.0.1:<port>}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  private boolean ready() {
    try {
      return get("/-/ready").statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether every target's last scrape succeeded. */
  public boolean targetsUp() throws IOException, InterruptedException {
    JsonNode active = JSON.readTree(get("/api/v1/targets").body()).path("data").path("activeTargets");
    if (!active.isArray() || active.isEmpty()) {
      return false;
    }
    for (JsonNode target : active) {
      if (!"up".equals(target.path("health").asText())) {
        return false;
      }
    }
    return true;
  }

  /** The answer of an instant {@code /api/v1/query}, its {@code data} part; fails on an error answer. */
  public JsonNode query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonNode answer = JSON.readTree(response.body());
    if (!"success".equals(answer.path("status").asText())) {
      throw new IOException("query " + promql + " failed: " + response.body());
    }
    return answer.path("data");
  }

  /**
   * The value of a query answering one number: a scalar, or a vector of exactly one sample;
   * empty when the vector is empty (no such series yet).
   */
  public Optional<Double> value(String promql) throws IOException, InterruptedException {
    JsonNode data = query(promql);
    JsonNode result = data.path("result");
    return switch (data.path("resultType").asText()) {
      case "scalar" -> Optional.of(Double.parseDouble(result.get(1).asText()));
      case "vector" -> {
        if (result.isEmpty()) {
          yield Optional.empty();
        }
        if (result.size() > 1) {
          throw new IOException("query " + promql + " answered " + result.size() + " series: " + result);
        }
        yield Optional.of(Double.parseDouble(result.get(0).path("value").get(1).asText()));
      }
      default -> throw new IOException("query " + promql + " answered a " + data.path("resultType").asText());
    };
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Stops Prometheus and deletes its storage. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    http.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }
}
