package dev.switchboard.server.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.server.StandaloneClients;
import dev.switchboard.testkit.WsClient;
import io.socket.client.Socket;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone server with {@code --log-format json}, at DEBUG, in a process of its own with its
 * real logging configuration: after clients used tokens every way they can (Socket.IO auth, an
 * expired token, SSE query, chat bearer) and the server API its key, every line it wrote is one
 * JSON object, and no token, secret or key is in any of them. What stops the server before it
 * serves (an unknown flag, a bad value, a port in use) is a JSON line of the same shape too.
 */
class JsonLogsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "json-logs-test-secret-of-at-least-32-bytes";
  private static final String API_KEY = "json-logs-test-api-key-0123456789";
  private static final Pattern BANNER = Pattern.compile("listening on [^ ]+:(\\d+) ");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path dir;

  @Test
  void everyLineIsJsonAndNoTokenSecretOrKeyIsLogged() throws Exception {
    String token = token("alice", Duration.ofMinutes(10));
    String expired = token("bob", Duration.ofMinutes(-10));
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    Process server = start(out, err);
    try {
      int port = awaitPort(err, server);
      useTokensEveryWay(port, token, expired);
    } finally {
      server.destroy(); // SIGTERM: the shutdown logs too
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }

    List<String> lines = new ArrayList<>(Files.readAllLines(err, StandardCharsets.UTF_8));
    lines.addAll(Files.readAllLines(out, StandardCharsets.UTF_8));
    assertThat(lines).as("log lines").hasSizeGreaterThan(5);
    for (String line : lines) {
      JsonNode entry;
      try {
        entry = JSON.readTree(line);
      } catch (java.io.IOException e) {
        throw new AssertionError("not a JSON line: " + line + "\n(all lines:\n" + String.join("\n", lines) + ")", e);
      }
      assertThat(entry.isObject()).as("a JSON object: %s", line).isTrue();
      assertThat(entry.path("ts").asText()).as("ts of %s", line).isNotEmpty();
      assertThat(Instant.parse(entry.path("ts").asText())).isBefore(Instant.now().plusSeconds(1));
      assertThat(entry.path("level").asText()).as("level of %s", line).isIn("ERROR", "WARN", "INFO", "DEBUG", "TRACE");
      assertThat(entry.path("logger").asText()).as("logger of %s", line).isNotEmpty();
      assertThat(entry.has("message")).as("message of %s", line).isTrue();
    }
    assertThat(lines).as("the debug lines of the clients' traffic").anyMatch(line -> line.contains("\"level\":\"DEBUG\""));
    String all = String.join("\n", lines);
    for (String secret : List.of(token, expired, SECRET, API_KEY)) {
      assertThat(all).as("the logs hold a secret").doesNotContain(secret);
      // Nor its signature alone (a token cut in pieces).
      assertThat(all).doesNotContain(secret.substring(secret.lastIndexOf('.') + 1));
    }
  }

  @Test
  void optionAndStartupErrorsAreJsonLinesOfTheSameShape() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());
      assertFailsWithJson(List.of("--log-format", "json", "--no-such-flag"), java.util.Map.of(), 2, "--no-such-flag");
      assertFailsWithJson(List.of("--log-format=json", "--ping-interval", "soon"), java.util.Map.of(), 2, "ping-interval");
      // The format from the environment, the error from the start itself.
      assertFailsWithJson(List.of("--host", "127.0.0.1", "--port", port), java.util.Map.of("SWITCHBOARD_LOG_FORMAT", "json"), 1, port);
      Path config = dir.resolve("switchboard.properties");
      Files.writeString(config, "log-format=json\n");
      assertFailsWithJson(List.of("--config", config.toString(), "--max-connections", "-1"), java.util.Map.of(), 2, "max-connections");
    }
  }

  /** Runs the server with {@code args}; it must exit with {@code exitCode}, writing only JSON lines, an ERROR one naming {@code named}. */
  private void assertFailsWithJson(List<String> args, java.util.Map<String, String> environment, int exitCode, String named)
      throws Exception {
    Path out = dir.resolve("failed-stdout");
    Path err = dir.resolve("failed-stderr");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-native-access=ALL-UNNAMED",
        "-Dlogback.configurationFile=" + Path.of(JsonLogEncoder.class.getResource("/logback.xml").toURI()),
        "-cp", System.getProperty("java.class.path"), "dev.switchboard.server.Main", "--demo", "false"));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(environment);
    Process server = builder.start();
    if (!server.waitFor(30, TimeUnit.SECONDS)) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("the server did not stop for " + args);
    }
    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertThat(server.exitValue()).as("exit code for %s; stderr:%n%s", args, String.join("\n", lines)).isEqualTo(exitCode);
    assertThat(Files.readString(out)).as("stdout for %s", args).isEmpty();
    assertThat(lines).as("stderr for %s", args).isNotEmpty();
    List<JsonNode> entries = new ArrayList<>();
    for (String line : lines) {
      try {
        entries.add(JSON.readTree(line));
      } catch (java.io.IOException e) {
        throw new AssertionError("not a JSON line: " + line + "\n(all lines:\n" + String.join("\n", lines) + ")", e);
      }
    }
    for (JsonNode entry : entries) {
      assertThat(entry.isObject()).isTrue();
      Instant.parse(entry.path("ts").asText());
      assertThat(entry.path("logger").asText()).isNotEmpty();
      assertThat(entry.path("thread").asText()).isNotEmpty();
      assertThat(entry.has("message")).isTrue();
    }
    assertThat(entries).as("the error line for %s", args).anySatisfy(entry -> {
      assertThat(entry.path("level").asText()).isEqualTo("ERROR");
      assertThat(entry.path("logger").asText()).isEqualTo("dev.switchboard.server.Main");
      assertThat(entry.path("message").asText()).contains(named);
    });
  }

  private Process start(Path out, Path err) throws Exception {
    String logback = Path.of(JsonLogEncoder.class.getResource("/logback.xml").toURI()).toString();
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-Dlogback.configurationFile=" + logback,
        "-cp", System.getProperty("java.class.path"), "dev.switchboard.server.Main",
        "--host", "127.0.0.1", "--port", "0", "--demo", "false", "--log-format", "json",
        "--jwt-secret", SECRET, "--api-key", API_KEY);
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("SWITCHBOARD_LOG_LEVEL", "DEBUG");
    return builder.start();
  }

  private static int awaitPort(Path err, Process server) {
    int[] port = new int[1];
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      if (!server.isAlive()) {
        throw new AssertionError("the server ended:\n" + Files.readString(err));
      }
      Matcher m = BANNER.matcher(Files.readString(err));
      if (m.find()) {
        port[0] = Integer.parseInt(m.group(1));
        return true;
      }
      return false;
    });
    return port[0];
  }

  private static void useTokensEveryWay(int port, String token, String expired) throws Exception {
    try (StandaloneClients clients = new StandaloneClients(() -> port)) {
      Socket alice = clients.connect(token);
      StandaloneClients.join(alice, "lobby");
      StandaloneClients.publish(alice, "lobby", "chat", "hello");
      StandaloneClients.call(alice, "auth:refresh", new JSONObject().put("token", expired));
      StandaloneClients.call(alice, "auth:refresh", new JSONObject().put("token", token));
    }
    try (WsClient ws = WsClient.connect(port, "/socket.io/", "EIO=4&transport=websocket&token=" + expired)) {
      assertThat(ws.nextText()).startsWith("0{");
      ws.send("40" + JSON.writeValueAsString(java.util.Map.of("token", expired)));
      assertThat(ws.nextText()).startsWith("44");
    }
    for (String presented : List.of(token, expired)) {
      HttpResponse<InputStream> sse = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/sse?rooms=lobby&token=" + presented)).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      sse.body().close();
      HttpResponse<String> chat = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/chat"))
          .header("Authorization", "Bearer " + presented).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(chat.statusCode()).isIn(200, 401);
    }
    for (String key : List.of(API_KEY, API_KEY + "-wrong")) {
      // A backend's reason is logged: here it carries a token, which the log must not show.
      HttpResponse<String> api = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/server/disconnect"))
          .header("X-API-Key", key).POST(HttpRequest.BodyPublishers.ofString("{\"user\":\"alice\",\"reason\":\"" + token + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isIn(200, 401);
    }
  }

  private static String token(String subject, Duration lifetime) throws Exception {
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject)
        .expirationTime(Date.from(Instant.now().plus(lifetime))).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }
}
