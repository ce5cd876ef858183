package dev.switchboard.server;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.inbox;
import static org.assertj.core.api.Assertions.assertThat;

import io.socket.client.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StandaloneServerTest {
  private SwitchboardApp app;
  private final StandaloneClients clients = new StandaloneClients(() -> app.port());
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    // No event rate limit here: some tests send a hundred requests at once (limits have their own tests).
    app = TestApps.start(Map.of("event-rate", "0", "user-event-rate", "0"));
  }

  @AfterEach
  void stop() {
    clients.close();
    app.close();
  }

  @Test
  void healthCheckAnswersUp() throws Exception {
    HttpResponse<String> response = get("/healthz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(response.body()).isEqualTo("{\"status\":\"up\"}");
  }

  @Test
  void servesTheDemoAppItsSettingsAndTheOfficialClient() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.body()).contains("/demo/app.js");
    HttpResponse<String> app = get("/demo/app.js");
    assertThat(app.statusCode()).isEqualTo(200);
    assertThat(app.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/javascript"));
    assertThat(app.body()).contains("room:publish");
    HttpResponse<String> settings = get("/demo/settings.json");
    assertThat(settings.statusCode()).isEqualTo(200);
    assertThat(settings.body()).isEqualTo("{\"ssePath\":\"/sse\",\"llm\":{\"provider\":\"echo\",\"model\":\"echo\"}}");
    HttpResponse<String> client = get("/assets/socket.io.min.js");
    assertThat(client.statusCode()).isEqualTo(200);
    assertThat(client.body()).contains("Socket.IO");
    assertThat(get("/assets/../index.html").statusCode()).isIn(400, 404);
    assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
  }

  @Test
  void bannerNamesTheUrls() {
    String banner = app.banner(123);
    assertThat(banner).contains("http://127.0.0.1:" + app.port() + "/")
        .contains("/socket.io/").contains("/healthz").contains("123 ms");
  }

  @Test
  void publishReachesOtherMembersWithMetaButNotTheSender() throws Exception {
    Socket alice = clients.connect();
    Socket bob = clients.connect();
    Socket carol = clients.connect();
    BlockingQueue<Object[]> aliceInbox = inbox(alice, "chat");
    BlockingQueue<Object[]> bobInbox = inbox(bob, "chat");
    BlockingQueue<Object[]> carolInbox = inbox(carol, "chat");
    assertThat(call(alice, "room:join", new JSONObject().put("room", "lobby")).getBoolean("ok")).isTrue();
    assertThat(call(bob, "room:join", new JSONObject().put("room", "lobby")).getBoolean("ok")).isTrue();

    JSONObject answer = call(alice, "room:publish",
        new JSONObject().put("room", "lobby").put("event", "chat").put("data", new JSONObject().put("text", "hi")));
    assertThat(answer.getBoolean("ok")).isTrue();

    Object[] received = bobInbox.poll(5, TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(((JSONObject) received[0]).getString("text")).isEqualTo("hi");
    JSONObject meta = (JSONObject) received[1];
    assertThat(meta.getString("room")).isEqualTo("lobby");
    assertThat(meta.getString("from")).isEqualTo(alice.id());

    // After leaving, bob no longer receives; the sender never does; carol never joined.
    assertThat(call(bob, "room:leave", new JSONObject().put("room", "lobby")).getBoolean("ok")).isTrue();
    assertThat(call(bob, "room:join", new JSONObject().put("room", "other")).getBoolean("ok")).isTrue();
    assertThat(call(carol, "room:join", new JSONObject().put("room", "lobby")).getBoolean("ok")).isTrue();
    call(alice, "room:publish", new JSONObject().put("room", "lobby").put("event", "chat").put("data", "second"));
    assertThat(carolInbox.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(bobInbox).isEmpty();
    assertThat(aliceInbox).isEmpty();
  }

  @Test
  void refusalsCarryAStableCode() throws Exception {
    Socket client = clients.connect();
    assertThat(errorCode(call(client, "room:join", "not an object"))).isEqualTo("INVALID_REQUEST");
    assertThat(errorCode(call(client, "room:join", new JSONObject().put("room", "")))).isEqualTo("INVALID_ROOM");
    assertThat(errorCode(call(client, "room:join", new JSONObject().put("room", "x".repeat(201))))).isEqualTo("INVALID_ROOM");
    assertThat(errorCode(call(client, "room:join", new JSONObject().put("room", "bad room")))).isEqualTo("INVALID_ROOM");
    assertThat(errorCode(call(client, "room:join", new JSONObject().put("room", "user:42")))).isEqualTo("FORBIDDEN_ROOM");
    Socket other = clients.connect();
    assertThat(errorCode(call(client, "room:join", new JSONObject().put("room", other.id())))).isEqualTo("FORBIDDEN_ROOM");
    assertThat(errorCode(call(client, "room:publish",
        new JSONObject().put("room", "lobby").put("event", "chat").put("data", 1)))).isEqualTo("NOT_IN_ROOM");
    call(client, "room:join", new JSONObject().put("room", "lobby"));
    assertThat(errorCode(call(client, "room:publish",
        new JSONObject().put("room", "lobby").put("event", "disconnect")))).isEqualTo("INVALID_EVENT");
    assertThat(errorCode(call(client, "room:publish", new JSONObject().put("room", "lobby")))).isEqualTo("INVALID_EVENT");
    // The connection survived every refusal.
    assertThat(call(client, "room:join", new JSONObject().put("room", "fine")).getBoolean("ok")).isTrue();
  }

  @Test
  void publishingToAnotherUsersRoomSaysHowToReachThem() throws Exception {
    Socket client = clients.connect();
    JSONObject refused = call(client, "room:publish",
        new JSONObject().put("room", "user:bob").put("event", "chat").put("data", 1));
    assertThat(errorCode(refused)).isEqualTo("NOT_IN_ROOM");
    assertThat(refused.getJSONObject("error").getString("message"))
        .contains("user's own room").contains("a room you both joined").doesNotStartWith("join");
  }

  @Test
  void aConnectionMayJoinAtMostItsShareOfRooms() throws Exception {
    Socket client = clients.connect();
    for (int i = 0; i < BuiltInEvents.MAX_ROOMS_PER_SOCKET; i++) {
      assertThat(call(client, "room:join", new JSONObject().put("room", "r" + i)).getBoolean("ok")).isTrue();
    }
    assertThat(errorCode(call(client, "room:join", new JSONObject().put("room", "one-too-many")))).isEqualTo("TOO_MANY_ROOMS");
    assertThat(call(client, "room:join", new JSONObject().put("room", "r0")).getBoolean("ok"))
        .as("joining a room it is in is no new room").isTrue();
    assertThat(call(client, "room:leave", new JSONObject().put("room", "r0")).getBoolean("ok")).isTrue();
    assertThat(call(client, "room:join", new JSONObject().put("room", "now-fits")).getBoolean("ok")).isTrue();
  }

  private static String errorCode(JSONObject answer) throws Exception {
    assertThat(answer.getBoolean("ok")).isFalse();
    assertThat(answer.getJSONObject("error").getString("message")).isNotBlank();
    return answer.getJSONObject("error").getString("code");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
