package dev.switchboard.server.chat;

import dev.switchboard.server.config.ChatLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.LeakRecorder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * Model calls cost money: each user (each IP address in open mode) may start {@code --chat-rate}
 * answers a minute and stream {@code --chat-max-streams} at once; more are refused with 429 and
 * a code before the model API is called.
 */
@Timeout(30)
class ChatLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HELLO = "{\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";
  private static final String CHUNK = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n";
  private static final FakeUpstream.Script ANSWER = FakeUpstream.events(CHUNK, "data: [DONE]\n\n");

  private FakeUpstream upstream;
  private SwitchboardApp app;

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = new FakeUpstream();
    upstream.answer(ANSWER);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    upstream.close();
  }

  @AfterAll
  static void noLeaks() {
    assertThat(LeakRecorder.leaks()).isEmpty();
  }

  private void startApp(Map<String, String> settings) {
    ConfigValues values = TestApps.values(Map.of("demo", "false",
        "llm-provider", "openai", "llm-base-url", upstream.url(), "llm-api-key", "k"));
    settings.forEach((key, value) -> values.set(key, value, "test"));
    app = SwitchboardApp.start(ServerConfig.from(values));
  }

  private HttpResponse<String> chat(String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + ChatRoute.PATH))
        .header("Content-Type", "application/json").timeout(WAIT).POST(HttpRequest.BodyPublishers.ofString(HELLO));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    // A new connection each time: an SSE answer ends by closing its connection, which a pooled
    // connection would only notice on its next request.
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static void assertRefused(HttpResponse<String> response, String code) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
    assertThat(JSON.readTree(response.body()).path("code").asText()).isEqualTo(code);
  }

  @Test
  void eachUserHasItsOwnRateOfAnswersPerMinute() throws Exception {
    startApp(Map.of("chat-rate", "2", "jwt-secret", ChatAuthenticationTest.SECRET));
    String alice = ChatAuthenticationTest.token("alice", Duration.ofMinutes(5));
    assertThat(chat(alice).statusCode()).isEqualTo(200);
    assertThat(chat(alice).statusCode()).isEqualTo(200);
    HttpResponse<String> third = chat(alice);
    assertRefused(third, "RATE_LIMITED");
    assertThat(third.headers().firstValue("retry-after")).hasValueSatisfying(seconds ->
        assertThat(Integer.parseInt(seconds)).isBetween(1, 60));
    // The two answers were streamed to the end, so the model API saw both; the third never reached it.
    assertThat(upstream.requests).hasSize(2);

    assertThat(chat(ChatAuthenticationTest.token("bob", Duration.ofMinutes(5))).statusCode()).isEqualTo(200);
    assertThat(upstream.requests).hasSize(3);
  }

  @Test
  void inOpenModeTheRateIsPerIpAddress() throws Exception {
    startApp(Map.of("chat-rate", "1"));
    assertThat(chat(null).statusCode()).isEqualTo(200);
    assertRefused(chat(null), "RATE_LIMITED");
    assertThat(upstream.requests).hasSize(1);

    try (Socket other = rawPost(InetAddress.getByName("127.0.0.2"))) {
      String answer = readUntil(other.getInputStream(), "data: [DONE]");
      assertThat(answer).startsWith("HTTP/1.1 200");
    }
    assertThat(upstream.requests).hasSize(2);
  }

  @Test
  void theOpenModeWarningNamesTheChatEndpointAndItsLimits() {
    Logger logger = (Logger) LoggerFactory.getLogger(SwitchboardApp.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    try {
      startApp(Map.of());
    } finally {
      logger.detachAppender(logged);
    }
    assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(warning -> assertThat(warning).contains("open mode").contains(ChatRoute.PATH)
            .contains("--chat-rate").contains("--chat-max-streams"));
  }

  @Test
  void concurrentStreamsAreCappedAndFreedWhenAStreamEnds() throws Exception {
    startApp(Map.of("chat-max-streams", "1", "chat-rate", "0"));
    upstream.answer(FakeUpstream.hold(": keep-alive\n\n", CHUNK));
    try (Socket held = rawPost(InetAddress.getLoopbackAddress())) {
      readUntil(held.getInputStream(), "data: {\"text\":\"Hi\"}");
      assertRefused(chat(null), "TOO_MANY_STREAMS");
      assertThat(upstream.requests).hasSize(1);
      upstream.answer(ANSWER);
    }
    // Once the held stream's client is gone, its slot is free again.
    await().atMost(WAIT).until(() -> chat(null).statusCode() == 200);
    assertThat(upstream.requests.stream().count()).isGreaterThanOrEqualTo(2);

    // A stream that ends normally frees its slot too.
    for (int i = 0; i < 5; i++) {
      assertThat(chat(null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void concurrentRequestsOfOneUserGetExactlyTheirStreams() throws Exception {
    int rounds = 25;
    int concurrent = 10;
    int maxStreams = 3;
    startApp(Map.of("chat-max-streams", String.valueOf(maxStreams), "chat-rate", "0", "worker-threads", "4",
        "jwt-secret", ChatAuthenticationTest.SECRET));
    upstream.answer(FakeUpstream.hold(": keep-alive\n\n", CHUNK));
    for (int round = 0; round < rounds; round++) {
      String token = ChatAuthenticationTest.token("racer-" + round, Duration.ofMinutes(5));
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < concurrent; i++) {
          sockets.add(connectRaw(InetAddress.getLoopbackAddress()));
        }
        // Every request is on the wire before the first answer is read: they race on four loops.
        for (Socket socket : sockets) {
          send(socket, token);
        }
        int streaming = 0;
        int refused = 0;
        for (Socket socket : sockets) {
          String status = readUntil(socket.getInputStream(), "\r\n");
          if (status.startsWith("HTTP/1.1 200")) {
            // The first chunk comes from the model API: this answer reached it.
            readUntil(socket.getInputStream(), "data: {\"text\":\"Hi\"}");
            streaming++;
          } else {
            assertThat(status).startsWith("HTTP/1.1 429");
            assertThat(readUntil(socket.getInputStream(), "TOO_MANY_STREAMS")).isNotEmpty();
            refused++;
          }
        }
        assertThat(streaming).as("round %d", round).isEqualTo(maxStreams);
        assertThat(refused).as("round %d", round).isEqualTo(concurrent - maxStreams);
      } finally {
        for (Socket socket : sockets) {
          socket.close();
        }
      }
    }
    // Only the admitted answers reached the model API.
    assertThat(upstream.requests).hasSize(rounds * maxStreams);
  }

  /** A chat request on a raw connection from {@code local}; the caller reads the answer. */
  private Socket rawPost(InetAddress local) throws Exception {
    Socket socket = connectRaw(local);
    send(socket, null);
    return socket;
  }

  private Socket connectRaw(InetAddress local) throws Exception {
    Socket socket = new Socket();
    socket.setSoTimeout((int) WAIT.toMillis());
    socket.bind(new InetSocketAddress(local, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", app.port()));
    return socket;
  }

  private static void send(Socket socket, String token) throws Exception {
    byte[] body = HELLO.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(("POST " + ChatRoute.PATH + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.write(body);
    out.flush();
  }

  private static String readUntil(InputStream in, String marker) throws Exception {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
      int b = in.read();
      assertThat(b).as("connection open, got so far: %s", seen).isNotNegative();
      seen.write(b);
    }
    return seen.toString(StandardCharsets.UTF_8);
  }
}
