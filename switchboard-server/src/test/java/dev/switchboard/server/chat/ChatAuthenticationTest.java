package dev.switchboard.server.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.LeakRecorder;
import dev.switchboard.testkit.SseReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With authentication on, {@code POST /api/v1/chat} needs a token from the same places as SSE
 * streams, and publishes into {@code chat:{conversationId}} only where the room rules let the
 * user publish; every refusal comes before the model API is called.
 */
@Timeout(30)
class ChatAuthenticationTest {
  static final String SECRET = "chat-auth-test-secret-of-at-least-32-bytes!";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Anyone may follow a conversation; only {@code shared-*} ones may be published into. */
  private static final String RULES = """
      [{"room": "chat:shared-*", "join": true, "publish": true},
       {"room": "chat:*", "join": true, "publish": false}]
      """;

  @TempDir
  Path dir;
  private FakeUpstream upstream;
  private SwitchboardApp app;
  private HttpServer backend;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
    upstream.answer(FakeUpstream.events(
        "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n",
        "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
        "data: [DONE]\n\n"));
    Path rules = Files.writeString(dir.resolve("rules.json"), RULES);
    startApp("room-rules", rules.toString());
  }

  private void startApp(String authorization, String value) {
    app = TestApps.start(Map.of("demo", "false",
        "jwt-secret", SECRET, "jwt-clock-skew", "0", "auth-cookie", "sb_token",
        authorization, value, "authz-timeout", "1s",
        "llm-provider", "openai", "llm-base-url", upstream.url(), "llm-api-key", "k"));
  }

  @AfterEach
  void stop() {
    app.close();
    upstream.close();
    if (backend != null) {
      backend.stop(0);
    }
  }

  @AfterAll
  static void noLeaks() {
    assertThat(LeakRecorder.leaks()).isEmpty();
  }

  static String token(String subject, Duration lifetime) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
          .expirationTime(Date.from(Instant.now().plus(lifetime))).build());
      jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String body(String conversationId, String text) {
    return "{" + (conversationId == null ? "" : "\"conversationId\":\"" + conversationId + "\",")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
  }

  private HttpResponse<String> chat(String query, Map<String, String> headers, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + ChatRoute.PATH + query))
        .header("Content-Type", "application/json").timeout(WAIT)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    // A new connection each time: an SSE answer ends by closing its connection, which a pooled
    // connection would only notice on its next request.
    try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private static String refusalCode(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.path("message").asText()).isNotBlank();
    return error.path("code").asText();
  }

  /** The user message of the next request the model API received. */
  private String nextUpstreamText() throws Exception {
    FakeUpstream.Seen seen = upstream.requests.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(seen).as("a request reached the model API").isNotNull();
    JsonNode messages = JSON.readTree(seen.body()).path("messages");
    return messages.get(messages.size() - 1).path("content").asText();
  }

  @Test
  void anAnonymousPostCannotInjectIntoAUsersConversationStream() throws Exception {
    String alice = token("alice", Duration.ofMinutes(5));
    try (SseReader stream = SseReader.open(app.port(), "/sse?rooms=chat:c1,chat:shared-1&token=" + alice)) {
      assertThat(stream.status()).isEqualTo(200);

      assertThat(refusalCode(chat("", Map.of(), body("c1", "injected")), 401)).isEqualTo("AUTH_REQUIRED");
      assertThat(refusalCode(chat("", Map.of(), body(null, "free ride")), 401)).isEqualTo("AUTH_REQUIRED");
      // A user may not publish where the rules say publish: false.
      String bob = token("bob", Duration.ofMinutes(5));
      assertThat(refusalCode(chat("", Map.of("Authorization", "Bearer " + bob), body("c1", "not yours")), 403))
          .isEqualTo("FORBIDDEN_ROOM");

      HttpResponse<String> allowed = chat("", Map.of("Authorization", "Bearer " + bob), body("shared-1", "allowed"));
      assertThat(allowed.statusCode()).isEqualTo(200);
      assertThat(allowed.body()).contains("data: [DONE]");
      // The stream's first message is the allowed answer: nothing of the refused ones reached it.
      SseReader.Event first = stream.nextMessage(WAIT);
      assertThat(first.event()).isEqualTo("chat:delta");
      assertThat(JSON.readTree(first.data()).path("conversationId").asText()).isEqualTo("shared-1");
    }
    // The refused requests never reached the model API.
    assertThat(nextUpstreamText()).isEqualTo("allowed");
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void theTokenComesFromTheQueryABearerHeaderOrTheCookie() throws Exception {
    String carol = token("carol", Duration.ofMinutes(5));
    assertThat(chat("?token=" + carol, Map.of(), body(null, "query")).body()).contains("data: [DONE]");
    assertThat(chat("", Map.of("Authorization", "Bearer " + carol), body(null, "bearer")).body()).contains("data: [DONE]");
    assertThat(chat("", Map.of("Cookie", "sb_token=" + carol), body(null, "cookie")).body()).contains("data: [DONE]");
    assertThat(nextUpstreamText()).isEqualTo("query");
    assertThat(nextUpstreamText()).isEqualTo("bearer");
    assertThat(nextUpstreamText()).isEqualTo("cookie");
  }

  @Test
  void badTokensAreRefusedWithTheSseCodes() throws Exception {
    assertThat(refusalCode(chat("?token=not-a-jwt", Map.of(), body(null, "x")), 401)).isEqualTo("TOKEN_INVALID");
    assertThat(refusalCode(chat("", Map.of("Authorization", "Bearer " + token("dan", Duration.ofMinutes(-1))), body(null, "x")), 401))
        .isEqualTo("TOKEN_EXPIRED");
    String forged = token("dan", Duration.ofMinutes(5));
    forged = forged.substring(0, forged.length() - 4) + "AAAA";
    assertThat(refusalCode(chat("", Map.of("Cookie", "sb_token=" + forged), body(null, "x")), 401)).isEqualTo("TOKEN_INVALID");

    assertThat(chat("", Map.of("Authorization", "Bearer " + token("dan", Duration.ofMinutes(5))), body(null, "after")).statusCode())
        .isEqualTo(200);
    assertThat(nextUpstreamText()).isEqualTo("after");
    assertThat(upstream.requests).isEmpty();
  }

  @Test
  void theWebhookDecidesWhetherTheAnswerMayBePublishedToTheConversation() throws Exception {
    List<String> questions = new CopyOnWriteArrayList<>();
    backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    backend.createContext("/authorize", exchange -> {
      JsonNode question = JSON.readTree(exchange.getRequestBody().readAllBytes());
      String room = question.path("room").asText();
      questions.add(question.path("action").asText() + " " + room + " " + question.path("principal").path("sub").asText());
      byte[] answer = JSON.writeValueAsBytes(Map.of("allow", room.equals("chat:mine"), "message", "backend says no"));
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    backend.start();
    app.close();
    startApp("authz-webhook", "http://127.0.0.1:" + backend.getAddress().getPort() + "/authorize");
    Map<String, String> erin = Map.of("Authorization", "Bearer " + token("erin", Duration.ofMinutes(5)));

    HttpResponse<String> denied = chat("", erin, body("theirs", "denied"));
    assertThat(refusalCode(denied, 403)).isEqualTo("FORBIDDEN_ROOM");
    assertThat(JSON.readTree(denied.body()).path("message").asText()).isEqualTo("backend says no");
    assertThat(chat("", erin, body("mine", "allowed")).body()).contains("data: [DONE]");
    assertThat(questions).containsExactly("publish chat:theirs erin", "publish chat:mine erin");

    backend.stop(0);
    backend = null;
    assertThat(refusalCode(chat("", erin, body("elsewhere", "down")), 503)).isEqualTo("AUTHZ_UNAVAILABLE");
    assertThat(nextUpstreamText()).isEqualTo("allowed");
    assertThat(upstream.requests).isEmpty();
  }
}
