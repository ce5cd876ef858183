package dev.switchboard.server.sse;

import static dev.switchboard.server.sse.RoomClient.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.SseReader;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real nginx, with its default response buffering on, in front of the standalone server: SSE
 * events must still pass through at once, because streams answer {@code X-Accel-Buffering: no}.
 * A location told to ignore that header shows what buffering would do.
 */
@Timeout(60)
class NginxSseTest {
  private static final Logger log = LoggerFactory.getLogger(NginxSseTest.class);
  private static final Duration IMMEDIATE = Duration.ofMillis(500);
  private static final int EVENTS = 10;

  private SwitchboardApp app;
  private Process nginx;
  private Path dir;
  private int nginxPort;
  private final List<AutoCloseable> closeLater = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Path executable = findNginx().orElseThrow(() -> new AssertionError(
        "nginx is required for this test but was not found (NGINX, PATH, /usr/sbin/nginx); "
            + "install it, e.g. apt-get install nginx-light"));
    app = TestApps.start(Map.of());
    dir = Files.createTempDirectory("nginx-sse");
    Files.createDirectories(dir.resolve("tmp"));
    nginxPort = freePort();
    Files.writeString(dir.resolve("nginx.conf"), config(nginxPort, app.port()), StandardCharsets.UTF_8);
    nginx = new ProcessBuilder(executable.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
        "-e", dir.resolve("error.log").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
      if (!nginx.isAlive()) {
        throw new IllegalStateException("nginx exited with " + nginx.exitValue() + ": " + read("nginx.out") + read("error.log"));
      }
      try (SseReader health = SseReader.open(nginxPort, "/healthz")) {
        assertThat(health.status()).isEqualTo(200);
      }
    });
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : closeLater) {
      closeable.close();
    }
    if (nginx != null) {
      nginx.descendants().forEach(ProcessHandle::destroyForcibly);
      nginx.destroyForcibly();
      nginx.waitFor(10, TimeUnit.SECONDS);
    }
    if (app != null) {
      app.close();
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** Defaults everywhere (buffering on, HTTP/1.0 upstream), plus two variants. */
  private static String config(int port, int upstream) {
    return """
        daemon off;
        master_process off;
        worker_processes 1;
        pid nginx.pid;
        events { worker_connections 256; }
        http {
          access_log off;
          client_body_temp_path tmp/body;
          proxy_temp_path tmp/proxy;
          fastcgi_temp_path tmp/fastcgi;
          uwsgi_temp_path tmp/uwsgi;
          scgi_temp_path tmp/scgi;
          server {
            listen 127.0.0.1:%1$d;
            location / {
              proxy_pass http://127.0.0.1:%2$d;
            }
            location /http11/ {
              proxy_pass http://127.0.0.1:%2$d/;
              proxy_http_version 1.1;
              proxy_set_header Connection "";
            }
            location /ignoring-accel/ {
              proxy_pass http://127.0.0.1:%2$d/;
              proxy_ignore_headers X-Accel-Buffering;
            }
          }
        }
        """.formatted(port, upstream);
  }

  @Test
  void eventsPassThroughNginxAtOnce() throws Exception {
    SseReader direct = open("/sse?rooms=live");
    SseReader proxied = open("/sse?rooms=live", nginxPort);
    SseReader proxied11 = open("/http11/sse?rooms=live", nginxPort);
    assertThat(proxied.status()).isEqualTo(200);
    assertThat(proxied11.status()).isEqualTo(200);
    assertThat(proxied.header("content-type").orElseThrow()).startsWith("text/event-stream");
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(app.io().localRoomSizes().get(5, TimeUnit.SECONDS).get("live")).isEqualTo(3));

    List<Long> directMicros = new ArrayList<>();
    List<Long> proxiedMicros = new ArrayList<>();
    List<Long> proxied11Micros = new ArrayList<>();
    try (RoomClient publisher = RoomClient.connect(app.port()).join("live")) {
      for (int n = 1; n <= EVENTS; n++) {
        long published = System.nanoTime();
        publisher.publishNoWait("live", "tick", obj("n", n));
        directMicros.add(latency(direct, n, published));
        proxiedMicros.add(latency(proxied, n, published));
        proxied11Micros.add(latency(proxied11, n, published));
      }
    }
    log.info("publish-to-SSE latency (µs) direct {}, through nginx {}, through nginx over HTTP/1.1 {}",
        directMicros, proxiedMicros, proxied11Micros);
    assertThat(proxiedMicros).allSatisfy(micros -> assertThat(micros).isLessThan(IMMEDIATE.toNanos() / 1000));
    assertThat(proxied11Micros).allSatisfy(micros -> assertThat(micros).isLessThan(IMMEDIATE.toNanos() / 1000));
  }

  @Test
  void withoutTheHeaderNginxWouldHoldEventsBack() throws Exception {
    // Opened on the side: with buffering nginx holds back even the response head.
    CompletableFuture<SseReader> buffered = CompletableFuture.supplyAsync(() -> {
      try {
        return SseReader.open(nginxPort, "/ignoring-accel/sse?rooms=held", Map.of());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, Executors.newVirtualThreadPerTaskExecutor());
    closeLater.add(() -> buffered.thenAccept(SseReader::close));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(app.io().localRoomSizes().get(5, TimeUnit.SECONDS).get("held")).isEqualTo(1));
    SseReader direct = open("/sse?rooms=held");
    try (RoomClient publisher = RoomClient.connect(app.port()).join("held")) {
      long published = System.nanoTime();
      publisher.publishNoWait("held", "tick", obj("n", 1));
      direct.next(Duration.ofSeconds(5));
      // The control: the event that came straight through is still held back by nginx.
      long windowMillis = IMMEDIATE.multipliedBy(2).toMillis();
      boolean delivered;
      try {
        SseReader reader = buffered.get(windowMillis, TimeUnit.MILLISECONDS);
        long left = windowMillis - (System.nanoTime() - published) / 1_000_000;
        delivered = reader.status() == 200 && !reader.drain().isEmpty()
            || left > 0 && tryNext(reader, Duration.ofMillis(left));
      } catch (TimeoutException held) {
        delivered = false;
      }
      assertThat(delivered).as("nginx delivered at once although told to buffer: the latency test would prove nothing").isFalse();
    }
  }

  private static boolean tryNext(SseReader reader, Duration timeout) throws InterruptedException {
    try {
      reader.next(timeout);
      return true;
    } catch (AssertionError none) {
      return false;
    }
  }

  private static long latency(SseReader reader, int n, long published) throws InterruptedException {
    SseReader.Event event = reader.nextMessage(Duration.ofSeconds(5));
    assertThat(event.data()).isEqualTo("{\"n\":" + n + "}");
    return (event.receivedNanos() - published) / 1000;
  }

  private SseReader open(String path) throws IOException {
    return open(path, app.port());
  }

  private SseReader open(String path, int port) throws IOException {
    SseReader reader = SseReader.open(port, path, Map.of());
    closeLater.add(reader);
    return reader;
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      return "";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Optional<Path> findNginx() {
    String configured = System.getenv("NGINX");
    if (configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured))) {
      return Optional.of(Path.of(configured));
    }
    List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/usr/local/nginx/sbin"));
    return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, "nginx"))
        .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
  }
}
