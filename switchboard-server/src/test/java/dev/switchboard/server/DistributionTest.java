package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.config.Setting;
import dev.switchboard.server.config.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as an operator gets it: unpacked with tar, the server started with its
 * launcher, asked over HTTP, stopped with SIGTERM. Runs once the archive is built (mvn verify or
 * install): the build passes its path as {@code switchboard.distribution}.
 */
@Tag("distribution")
class DistributionTest {
  private static final String VERSION = VersionTest.PROJECT_VERSION;
  private static final Pattern BANNER = Pattern.compile("listening on [^ ]+:(\\d+) ");
  private static final Pattern SETTING_LINE = Pattern.compile("^#([a-z][a-z0-9-]*)=.*$");

  @TempDir
  static Path unpacked;
  static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("switchboard.distribution", ""));
    assertThat(archive.getFileName().toString()).isEqualTo("switchboard-" + VERSION + ".tar.gz");
    assertThat(archive).isRegularFile();
    Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", unpacked.toString())
        .redirectErrorStream(true).start();
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(output).isZero();
    home = unpacked.resolve("switchboard-" + VERSION);
  }

  @Test
  void holdsTheLauncherTheJarsTheExampleConfigTheUnitAndTheReadme() throws IOException {
    assertThat(home.resolve("bin/switchboard")).isExecutable();
    assertThat(home.resolve("bin/find-java")).isExecutable();
    assertThat(home.resolve("bin/aot-cache")).isExecutable();
    assertThat(home.resolve("README.md")).isRegularFile();
    assertThat(home.resolve("LICENSE")).isRegularFile();
    try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
      assertThat(jars.map(jar -> jar.getFileName().toString()).toList())
          .contains("switchboard-server-" + VERSION + ".jar", "switchboard-core-" + VERSION + ".jar",
              "switchboard-redis-" + VERSION + ".jar", "switchboard-webrtc-" + VERSION + ".jar",
              "switchboard-admin-" + VERSION + ".jar")
          .allMatch(name -> name.endsWith(".jar"))
          .noneMatch(name -> name.startsWith("switchboard-testkit"));
    }
    try (JarFile server = new JarFile(home.resolve("lib/switchboard-server-" + VERSION + ".jar").toFile())) {
      assertThat(server.stream().map(JarEntry::getName))
          .as("the server's own classes, its dependencies being jars of their own")
          .contains("dev/switchboard/server/Main.class")
          .noneMatch(name -> name.startsWith("io/netty/") || name.startsWith("dev/switchboard/socketio/"));
    }
  }

  @Test
  void theExampleConfigListsEverySettingTheServerKnows() throws IOException {
    List<String> keys = Files.readAllLines(home.resolve("config/switchboard.example.properties")).stream()
        .map(SETTING_LINE::matcher).filter(Matcher::matches).map(m -> m.group(1)).toList();
    assertThat(keys).containsExactlyElementsOf(Settings.ALL.stream().map(Setting::key).toList());
  }

  @Test
  void theUnitWaitsLongerThanTheDrainAndRunsUnprivileged() throws Exception {
    Path unit = home.resolve("switchboard.service");
    List<String> lines = Files.readAllLines(unit);
    Duration drainTimeout = ServerConfig.from(new ConfigValues()).drain().timeout();
    String stopTimeout = lines.stream().filter(line -> line.startsWith("TimeoutStopSec=")).findFirst().orElseThrow();
    assertThat(Duration.ofSeconds(Long.parseLong(stopTimeout.substring("TimeoutStopSec=".length()))))
        .as("systemd waits longer than --drain-timeout before it kills").isGreaterThan(drainTimeout);
    assertThat(lines).contains("KillSignal=SIGTERM", "SuccessExitStatus=143", "Restart=on-failure",
        "User=switchboard", "NoNewPrivileges=yes", "ProtectSystem=strict", "ExecStart=/opt/switchboard/bin/switchboard",
        "StateDirectory=switchboard");
    assertThat(lines).anyMatch(line -> line.startsWith("LimitNOFILE="));

    Path systemdAnalyze = Path.of("/usr/bin/systemd-analyze");
    if (Files.isExecutable(systemdAnalyze)) {
      // Pointed at the unpacked launcher, the unit must verify without a complaint.
      Path local = Files.writeString(unpacked.resolve("switchboard.service"), Files.readString(unit)
          .replace("/opt/switchboard", home.toString()));
      Process verify = new ProcessBuilder(systemdAnalyze.toString(), "verify", local.toString()).redirectErrorStream(true).start();
      String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(verify.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(output).as("systemd-analyze verify").isBlank();
    }
  }

  @Test
  void versionFlagPrintsTheVersionAndExitsZero() throws Exception {
    Process process = launcher("--version").start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output.strip()).isEqualTo("Switchboard " + VERSION);
  }

  @Test
  void startsWithTheExampleConfigAnswersAndStopsCleanlyOnSigterm() throws Exception {
    // Every setting of the example uncommented: each line must be one the server accepts.
    String uncommented = String.join("\n", Files.readAllLines(home.resolve("config/switchboard.example.properties")).stream()
        .map(line -> SETTING_LINE.matcher(line).matches() ? line.substring(1) : line).toList());
    // And one changed (a later line wins), to see that the launcher hands the file to the server.
    Files.writeString(home.resolve("config/switchboard.properties"), uncommented + "\nsse-path=/events-from-config\n");

    Process server = launcher("--host", "127.0.0.1", "--port", "0").start();
    List<String> output = new CopyOnWriteArrayList<>();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          System.out.println("[dist] " + line);
          output.add(line);
          Matcher m = BANNER.matcher(line);
          if (m.find()) {
            port.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // the process is gone
      }
      port.completeExceptionally(new AssertionError("the server ended before its banner: " + output));
    });
    try {
      int listening = port.get(60, TimeUnit.SECONDS);
      assertThat(output).anyMatch(line -> line.contains("Switchboard " + VERSION + " starting"));
      assertThat(output).as("config/switchboard.properties was read")
          .anyMatch(line -> BANNER.matcher(line).find() && line.contains("/events-from-config?rooms="));

      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + listening + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"up\"");
      // The Engine.IO handshake over WebSocket, closed again: no session is left for the drain to wait on.
      CompletableFuture<String> open = new CompletableFuture<>();
      CompletableFuture<Integer> closed = new CompletableFuture<>();
      WebSocket socket = http.newWebSocketBuilder().buildAsync(
          URI.create("ws://127.0.0.1:" + listening + "/socket.io/?EIO=4&transport=websocket"), new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
              open.complete(data.toString());
              webSocket.request(1);
              return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
              closed.complete(statusCode);
              return null;
            }
          }).get(10, TimeUnit.SECONDS);
      assertThat(open.get(10, TimeUnit.SECONDS)).startsWith("0{").contains("\"sid\"");
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
      assertThat(closed.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);

      // SIGTERM to the launcher's process, which is the JVM (the script execs it).
      server.toHandle().destroy();
      assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      reader.join(TimeUnit.SECONDS.toMillis(5));
      assertThat(server.exitValue()).as("the JVM's status after a SIGTERM it handled").isEqualTo(143);
      assertThat(output).anyMatch(line -> line.contains("drained in"));
      assertThat(output).noneMatch(line -> line.contains(" ERROR ") || line.contains("Exception"));
    } finally {
      server.descendants().forEach(ProcessHandle::destroyForcibly);
      server.destroyForcibly();
    }
  }

  @Test
  void theFirstStartTrainsAStartUpCacheThatTheNextStartsUse() throws Exception {
    Assumptions.assumeTrue(Runtime.version().feature() >= 25, "AOT caches need JDK 25");
    Path state = unpacked.resolve("state");
    Map<String, String> withCache = Map.of("SWITCHBOARD_AOT", "on", "SWITCHBOARD_AOT_DIR", state.toString());

    long untrained = startAndStop(withCache, Optional.empty()).toMillis();
    List<Path> trained = files(state);
    assertThat(trained).as("one complete cache, written as the first server exited").hasSize(1);
    assertThat(trained.get(0).getFileName().toString()).startsWith("switchboard.aot.").doesNotEndWith(".config");

    Path classes = unpacked.resolve("classes.log");
    long cached = startAndStop(withCache, Optional.of(classes)).toMillis();
    assertThat(files(state)).as("adopted by the next start").containsExactly(state.resolve("switchboard.aot"));
    assertThat(Files.readAllLines(classes)).as("the server's classes came from the cache")
        .anyMatch(line -> line.contains(" dev.switchboard.server.Main source: shared objects file"));
    System.out.printf("distribution: banner %d ms after the launcher started without the cache, %d ms with it%n",
        untrained, cached);
  }

  /**
   * Starts the distribution's server with {@code environment} added (and its class loading logged
   * to {@code classLog}, when given), then stops it with SIGTERM; how long its banner took.
   */
  private static Duration startAndStop(Map<String, String> environment, Optional<Path> classLog) throws Exception {
    ProcessBuilder builder = launcher("--host", "127.0.0.1", "--port", "0");
    builder.environment().putAll(environment);
    classLog.ifPresent(log -> builder.environment().put("JAVA_OPTS", "-Xlog:class+load=info:file=" + log));
    long started = System.nanoTime();
    Process server = builder.start();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null && !BANNER.matcher(line).find()) {
        System.out.println("[dist] " + line);
      }
      assertThat(line).as("the banner").isNotNull();
      Duration banner = Duration.ofNanos(System.nanoTime() - started);
      server.toHandle().destroy();
      while ((line = lines.readLine()) != null) {
        System.out.println("[dist] " + line);
      }
      assertThat(server.waitFor(60, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      assertThat(server.exitValue()).isEqualTo(143);
      return banner;
    } finally {
      server.destroyForcibly();
    }
  }

  private static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.toList();
    }
  }

  /**
   * {@code bin/switchboard args} of the unpacked distribution, with none of the caller's Switchboard
   * settings and without the start-up cache (tested on its own).
   */
  private static ProcessBuilder launcher(String... args) {
    List<String> command = new ArrayList<>(List.of(home.resolve("bin/switchboard").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(unpacked.toFile()).redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment.keySet().removeIf(name -> name.startsWith("SWITCHBOARD_") || name.equals("JAVA_OPTS"));
    environment.put("JAVA_HOME", System.getProperty("java.home"));
    environment.put("SWITCHBOARD_AOT", "off");
    return builder;
  }
}
