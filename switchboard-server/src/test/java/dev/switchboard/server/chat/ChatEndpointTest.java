package dev.switchboard.server.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.LeakRecorder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ChatEndpointTest {
  private static final String HELLO = "{\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String ANTHROPIC_START = """
      event: message_start
      data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}}

      event: content_block_start
      data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

      event: ping
      data: {"type": "ping"}

      """;
  private static final String ANTHROPIC_PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n";

  private static String anthropicDelta(String text) {
    return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
        + text + "\"}}\n\n";
  }

  private static String openAiChunk(String delta, String finish) {
    return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finish + "}]}\n\n";
  }

  private FakeUpstream upstream;
  private SwitchboardApp app;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void startUpstream() throws Exception {
    upstream = new FakeUpstream();
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

  private void startApp(String provider, String baseUrl) {
    app = TestApps.start(provider == null ? Map.of("demo", "false")
        : Map.of("demo", "false", "llm-provider", provider, "llm-base-url", baseUrl, "llm-api-key", "test-key"));
  }

  private HttpResponse<List<String>> chat(String body) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/chat"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, info -> HttpResponse.BodySubscribers.mapping(
        HttpResponse.BodySubscribers.ofLines(StandardCharsets.UTF_8), lines -> lines.toList()));
  }

  /** The lines after the {@code retry:} hint. */
  private static List<String> events(HttpResponse<List<String>> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
    assertThat(response.body().subList(0, 2)).containsExactly("retry: 3000", "");
    return response.body().subList(2, response.body().size());
  }

  private static JsonNode errorData(List<String> lines) throws Exception {
    int at = lines.indexOf("event: error");
    assertThat(at).as("error event in %s", lines).isNotNegative();
    assertThat(lines.get(at + 1)).startsWith("data: ");
    return JSON.readTree(lines.get(at + 1).substring("data: ".length()));
  }

  @Test
  void echoModelStreamsTheLastUserMessageBackWordByWord() throws Exception {
    startApp(null, null);
    List<String> lines = events(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"first\"},"
        + "{\"role\":\"assistant\",\"content\":\"ok\"},{\"role\":\"user\",\"content\":\"hello  \\\"big\\\" world\"}]}"));
    assertThat(lines).containsExactly(
        "data: {\"text\":\"hello\"}", "",
        "data: {\"text\":\" \\\"big\\\"\"}", "",
        "data: {\"text\":\" world\"}", "",
        "data: [DONE]", "");
  }

  @Test
  void anthropicDeltasArriveAsTextChunksThenDone() throws Exception {
    String deltaSplitAcrossWrites = anthropicDelta(", world");
    upstream.answer(FakeUpstream.events(ANTHROPIC_START, anthropicDelta("Hello"),
        deltaSplitAcrossWrites.substring(0, 40), deltaSplitAcrossWrites.substring(40),
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":4}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
    startApp("anthropic", upstream.url());

    List<String> lines = events(chat("{\"model\":\"claude-opus-4-1\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}"));
    assertThat(lines).containsExactly("data: {\"text\":\"Hello\"}", "", "data: {\"text\":\", world\"}", "", "data: [DONE]", "");

    FakeUpstream.Seen seen = upstream.requests.poll(5, TimeUnit.SECONDS);
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.path()).isEqualTo("/v1/messages");
    assertThat(seen.headers().getFirst("x-api-key")).isEqualTo("test-key");
    assertThat(seen.headers().getFirst("anthropic-version")).isEqualTo("2023-06-01");
    JsonNode body = JSON.readTree(seen.body());
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("model").asText()).isEqualTo("claude-opus-4-1");
    assertThat(body.path("max_tokens").asInt()).isPositive();
    assertThat(body.path("messages").toString()).isEqualTo("[{\"role\":\"user\",\"content\":\"Say hello\"}]");
  }

  @Test
  void anthropicErrorEventMidStreamReachesTheClient() throws Exception {
    upstream.answer(FakeUpstream.events(ANTHROPIC_START, anthropicDelta("Hel"),
        "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"));
    startApp("anthropic", upstream.url());

    List<String> lines = events(chat(HELLO));
    assertThat(lines.subList(0, 2)).containsExactly("data: {\"text\":\"Hel\"}", "");
    JsonNode error = errorData(lines);
    assertThat(error.path("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(error.path("message").asText()).contains("overloaded_error").contains("Overloaded");
    assertThat(lines).doesNotContain("data: [DONE]");
  }

  @Test
  void anthropicHttpErrorReachesTheClient() throws Exception {
    upstream.answer(FakeUpstream.status(401,
        "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"));
    startApp("anthropic", upstream.url());

    JsonNode error = errorData(events(chat(HELLO)));
    assertThat(error.path("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(error.path("message").asText()).isEqualTo("anthropic answered HTTP 401 (authentication_error): invalid x-api-key");
  }

  @Test
  void anthropicAnswerCutShortIsAnError() throws Exception {
    upstream.answer(FakeUpstream.events(ANTHROPIC_START, anthropicDelta("Hel")));
    startApp("anthropic", upstream.url());

    JsonNode error = errorData(events(chat(HELLO)));
    assertThat(error.path("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(error.path("message").asText()).contains("before its end marker");
  }

  @Test
  void aDrainLetsAnAnswerInProgressFinishAndRefusesNewQuestions() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    upstream.answer(FakeUpstream.gated(gate, openAiChunk("{\"content\":\"Hi\"}", "null"),
        openAiChunk("{\"content\":\" there\"}", "null"), openAiChunk("{}", "\"stop\""), "data: [DONE]\n\n"));
    startApp("openai", upstream.url() + "/");
    CompletableFuture<HttpResponse<List<String>>> answer = CompletableFuture.supplyAsync(() -> {
      try {
        return chat(HELLO);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(upstream.requests.poll(5, TimeUnit.SECONDS)).as("the model was asked").isNotNull();

    CompletableFuture<Boolean> drainedAfterTheAnswer = app.drain().toCompletableFuture()
        .thenApply(report -> report.participantsFinished() && gate.getCount() == 0);
    HttpResponse<List<String>> refused = chat(HELLO);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.headers().firstValue("retry-after")).isPresent();
    assertThat(String.join("", refused.body())).contains("\"code\":\"DRAINING\"");
    // With no connection to close, a drain that did not wait for the answer would end in some ms.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !drainedAfterTheAnswer.isDone());

    gate.countDown();
    assertThat(events(answer.get(10, TimeUnit.SECONDS))).containsExactly(
        "data: {\"text\":\"Hi\"}", "", "data: {\"text\":\" there\"}", "", "data: [DONE]", "");
    assertThat(drainedAfterTheAnswer.get(10, TimeUnit.SECONDS)).as("the drain waited for the answer").isTrue();
  }

  @Test
  void openAiDeltasArriveAsTextChunksThenDone() throws Exception {
    upstream.answer(FakeUpstream.events(
        openAiChunk("{\"role\":\"assistant\",\"content\":\"\"}", "null"),
        openAiChunk("{\"content\":\"Hi\"}", "null"),
        openAiChunk("{\"content\":\" there\"}", "null"),
        openAiChunk("{}", "\"stop\""),
        "data: [DONE]\n\n"));
    startApp("openai", upstream.url() + "/");

    List<String> lines = events(chat(HELLO));
    assertThat(lines).containsExactly("data: {\"text\":\"Hi\"}", "", "data: {\"text\":\" there\"}", "", "data: [DONE]", "");
    FakeUpstream.Seen seen = upstream.requests.poll(5, TimeUnit.SECONDS);
    assertThat(seen.path()).isEqualTo("/v1/chat/completions");
    assertThat(seen.headers().getFirst("Authorization")).isEqualTo("Bearer test-key");
    JsonNode body = JSON.readTree(seen.body());
    assertThat(body.path("stream").asBoolean()).isTrue();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void openAiErrorMidStreamReachesTheClient() throws Exception {
    upstream.answer(FakeUpstream.events(
        openAiChunk("{\"content\":\"Hi\"}", "null"),
        "data: {\"error\":{\"message\":\"The server had an error while processing your request.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}\n\n"));
    startApp("openai", upstream.url());

    List<String> lines = events(chat(HELLO));
    assertThat(lines.subList(0, 2)).containsExactly("data: {\"text\":\"Hi\"}", "");
    JsonNode error = errorData(lines);
    assertThat(error.path("code").asText()).isEqualTo("UPSTREAM_ERROR");
    assertThat(error.path("message").asText()).contains("server_error").contains("The server had an error");
  }

  @Test
  void unreachableUpstreamIsReportedAsUnavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    startApp("openai", "http://127.0.0.1:" + closedPort);

    JsonNode error = errorData(events(chat(HELLO)));
    assertThat(error.path("code").asText()).isEqualTo("UPSTREAM_UNAVAILABLE");
    assertThat(error.path("message").asText()).startsWith("openai cannot be reached");
  }

  @Test
  void clientLeavingMidAnswerCancelsTheUpstreamRequest() throws Exception {
    upstream.answer(FakeUpstream.hold(ANTHROPIC_PING, ANTHROPIC_START, anthropicDelta("Hello")));
    startApp("anthropic", upstream.url());

    byte[] body = HELLO.getBytes(StandardCharsets.UTF_8);
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(10_000);
      socket.connect(new InetSocketAddress("127.0.0.1", app.port()));
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/v1/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
          .getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      readUntil(socket.getInputStream(), "data: {\"text\":\"Hello\"}");
      assertThat(upstream.clientGone.getCount()).as("upstream still streaming while the client reads").isEqualTo(1);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> upstream.clientGone.getCount() == 0);
  }

  private static void readUntil(InputStream in, String marker) throws Exception {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
      int b = in.read();
      assertThat(b).as("connection open, got so far: %s", seen).isNotNegative();
      seen.write(b);
    }
  }

  @Test
  void badBodiesAreAnswered400WithACode() throws Exception {
    startApp(null, null);
    assertBadRequest("not json", "INVALID_JSON");
    assertBadRequest("[1,2]", "INVALID_JSON");
    assertBadRequest("{}", "INVALID_REQUEST");
    assertBadRequest("{\"messages\":[]}", "INVALID_REQUEST");
    assertBadRequest("{\"messages\":[\"hi\"]}", "INVALID_MESSAGE");
    assertBadRequest("{\"messages\":[{\"role\":\"system\",\"content\":\"x\"}]}", "INVALID_MESSAGE");
    assertBadRequest("{\"messages\":[{\"role\":\"user\",\"content\":\"\"}]}", "INVALID_MESSAGE");
    assertBadRequest("{\"messages\":[{\"role\":\"user\",\"content\":42}]}", "INVALID_MESSAGE");
    assertBadRequest("{\"messages\":[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"assistant\",\"content\":\"y\"}]}", "INVALID_MESSAGE");
    assertBadRequest("{\"model\":\"bad model!\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", "INVALID_MODEL");

    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/v1/chat")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("allow")).contains("POST, OPTIONS");
  }

  private void assertBadRequest(String body, String code) throws Exception {
    HttpResponse<List<String>> response = chat(body);
    assertThat(response.statusCode()).as(body).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    JsonNode error = JSON.readTree(String.join("\n", response.body()));
    assertThat(error.path("code").asText()).as(body).isEqualTo(code);
    assertThat(error.path("message").asText()).isNotBlank();
  }
}
