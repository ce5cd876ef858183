package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server API of one node, called over HTTP, with official Java clients receiving. */
class ServerApiOperationsTest {
  private SwitchboardApp app;
  private ApiClient api;
  private final ApiTestClients clients = new ApiTestClients();

  @BeforeEach
  void start() {
    app = TestApps.start(Map.of("demo", "false", "jwt-secret", ApiTestClients.SECRET,
        "api-key", "old-key-rotating-out-0000, " + ApiTestClients.KEY));
    api = new ApiClient(app.port(), ApiTestClients.KEY);
  }

  @AfterEach
  void stop() {
    clients.close();
    app.close();
  }

  @Test
  void keysOpenTheApiAndNothingElseDoes() {
    Map<String, Object> info = Map.of();
    assertThat(api.callWith("info", info, Map.of()).status()).isEqualTo(401);
    ApiClient.Answer wrong = api.callWith("info", info, Map.of("X-API-Key", "test-api-key-0123456780"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.body().path("ok").asBoolean(true)).isFalse();
    assertThat(wrong.code()).isEqualTo("UNAUTHORIZED");
    assertThat(api.callWith("info", info, Map.of("Authorization", "Bearer " + ApiTestClients.token("ada"))).status())
        .as("a user's token never opens the server API").isEqualTo(401);
    assertThat(api.callWith("info", info, Map.of("Authorization", "apikey " + ApiTestClients.KEY)).status()).isEqualTo(200);
    assertThat(api.callWith("info", info, Map.of("X-API-Key", "old-key-rotating-out-0000")).status())
        .as("every key of the rotation list").isEqualTo(200);
  }

  @Test
  void withoutAKeyEveryRouteIsDisabled() {
    try (SwitchboardApp closed = TestApps.start(Map.of("demo", "false"))) {
      ApiClient noKey = new ApiClient(closed.port(), "anything-at-all-000000");
      for (String operation : List.of("publish", "info", "batch", "no_such_operation")) {
        ApiClient.Answer answer = noKey.call(operation, Map.of());
        assertThat(answer.status()).as(operation).isEqualTo(404);
        assertThat(answer.code()).isEqualTo("SERVER_API_DISABLED");
      }
    }
  }

  @Test
  void badRequestsGetTheirStatusAndCode() {
    ApiClient.Answer unknown = api.call("publsh", Map.of());
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.code()).isEqualTo("UNKNOWN_OPERATION");
    ApiClient.Answer get = api.get("/api/v1/server/info");
    assertThat(get.status()).isEqualTo(405);
    assertThat(get.code()).isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(get.response().headers().firstValue("Allow")).contains("POST");
    ApiClient.Answer large = api.call("publish", Map.of("room", "a", "event", "e", "data", "x".repeat(ServerApi.MAX_BODY_BYTES)));
    assertThat(large.status()).isEqualTo(413);
    assertThat(large.code()).isEqualTo("BODY_TOO_LARGE");
    ApiClient.Answer malformed = api.call("publish", "{\"room\": \"a\", ");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.code()).isEqualTo("INVALID_JSON");
    ApiClient.Answer notAnObject = api.call("publish", "[1, 2]");
    assertThat(notAnObject.status()).isEqualTo(400);
    assertThat(notAnObject.code()).isEqualTo("INVALID_REQUEST");
    for (String reserved : List.of("disconnect", "presence:join", "auth:expired", "chat:delta", "error")) {
      ApiClient.Answer answer = api.call("publish", Map.of("room", "a", "event", reserved, "data", 1));
      assertThat(answer.status()).as(reserved).isEqualTo(400);
      assertThat(answer.code()).isEqualTo("INVALID_EVENT");
    }
    assertThat(api.call("publish", Map.of("room", "bad room", "event", "e")).code()).isEqualTo("INVALID_ROOM");
    assertThat(api.call("publish", Map.of("room", "a", "rooms", List.of("b"), "event", "e")).code()).isEqualTo("INVALID_REQUEST");
    assertThat(api.call("history", Map.of("room", "a", "limit", 501)).code()).isEqualTo("INVALID_REQUEST");
    assertThat(api.call("info", Map.of()).status()).as("the server is still up").isEqualTo(200);
  }

  @Test
  void publishReachesMembersOnceWithItsPositionAndAnIdIsNotSentTwice() throws Exception {
    Socket ada = clients.connect(app.port(), "ada");
    StandaloneClients.join(ada, "news");
    BlockingQueue<Object[]> inbox = StandaloneClients.inbox(ada, "headline");
    JsonNode first = api.ok("publish", Map.of("room", "news", "event", "headline", "data", Map.of("n", 1), "id", "m-1"));
    assertThat(first.path("position").asText()).matches("[^:]+:1");
    Object[] received = inbox.poll(5, TimeUnit.SECONDS);
    assertThat(received).isNotNull();
    assertThat(((JSONObject) received[0]).getInt("n")).isEqualTo(1);
    JSONObject meta = (JSONObject) received[1];
    assertThat(meta.getString("room")).isEqualTo("news");
    assertThat(meta.getString("id")).isEqualTo("m-1");
    assertThat(meta.getString("position")).isEqualTo(first.path("position").asText());

    JsonNode retry = api.ok("publish", Map.of("room", "news", "event", "headline", "data", Map.of("n", 1), "id", "m-1"));
    assertThat(retry.path("duplicate").asBoolean()).isTrue();
    api.ok("publish", Map.of("room", "news", "event", "headline", "data", Map.of("n", 2)));
    Object[] next = inbox.poll(5, TimeUnit.SECONDS);
    assertThat(((JSONObject) next[0]).getInt("n")).as("the retry was not delivered").isEqualTo(2);

    JsonNode history = api.ok("history", Map.of("room", "news"));
    assertThat(history.path("messages")).hasSize(2);
    assertThat(history.path("messages").get(0).path("data").path("n").asInt()).isEqualTo(1);
  }

  @Test
  void publishToUsersReachesEveryTabAndSeveralRoomsReachEachSocketOnce() throws Exception {
    Socket tab1 = clients.connect(app.port(), "ada");
    Socket tab2 = clients.connect(app.port(), "ada");
    Socket bob = clients.connect(app.port(), "bob");
    BlockingQueue<Object[]> one = StandaloneClients.inbox(tab1, "ping");
    BlockingQueue<Object[]> two = StandaloneClients.inbox(tab2, "ping");
    BlockingQueue<Object[]> bobs = StandaloneClients.inbox(bob, "ping");
    api.ok("publish", Map.of("user", "ada", "event", "ping", "data", "for ada"));
    assertThat(one.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("for ada");
    assertThat(two.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("for ada");
    api.ok("publish", Map.of("users", List.of("ada", "bob"), "event", "ping", "data", "for both"));
    assertThat(one.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("for both");
    assertThat(bobs.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("for both");
    StandaloneClients.join(tab1, "a");
    StandaloneClients.join(tab1, "b");
    api.ok("publish", Map.of("rooms", List.of("a", "b"), "event", "ping", "data", "once"));
    api.ok("publish", Map.of("user", "ada", "event", "ping", "data", "after"));
    assertThat(one.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("once");
    assertThat(one.poll(5, TimeUnit.SECONDS)[0]).as("a socket in both rooms got it once").isEqualTo("after");
  }

  @Test
  void broadcastPublishesToEachRoomAndBatchRunsInOrder() throws Exception {
    Socket ada = clients.connect(app.port(), "ada");
    StandaloneClients.join(ada, "r1");
    StandaloneClients.join(ada, "r2");
    BlockingQueue<Object[]> inbox = StandaloneClients.inbox(ada, "tick");
    JsonNode broadcast = api.ok("broadcast", Map.of("rooms", List.of("r1", "r2"), "event", "tick", "data", 7, "id", "b-1"));
    assertThat(broadcast.path("results")).hasSize(2);
    assertThat(broadcast.path("results").get(0).path("room").asText()).isEqualTo("r1");
    assertThat(broadcast.path("results").get(1).path("position").asText()).matches("[^:]+:1");
    assertThat(List.of(((JSONObject) inbox.poll(5, TimeUnit.SECONDS)[1]).getString("room"),
        ((JSONObject) inbox.poll(5, TimeUnit.SECONDS)[1]).getString("room"))).containsExactlyInAnyOrder("r1", "r2");

    JsonNode batch = api.ok("batch", Map.of("commands", List.of(
        Map.of("operation", "publish", "params", Map.of("room", "r1", "event", "tick", "data", 1)),
        Map.of("operation", "history_remove", "params", Map.of("room", "r1")),
        Map.of("operation", "publish", "params", Map.of("room", "r1", "event", "tick", "data", 2)),
        Map.of("operation", "publish", "params", Map.of("room", "r1", "event", "disconnect")),
        Map.of("operation", "history", "params", Map.of("room", "r1")))));
    JsonNode replies = batch.path("replies");
    assertThat(replies).hasSize(5);
    assertThat(replies.get(2).path("position").asText()).as("a new epoch after the removal").matches("[^:]+:1")
        .isNotEqualTo(replies.get(0).path("position").asText());
    assertThat(replies.get(3).path("error").path("code").asText()).isEqualTo("INVALID_EVENT");
    assertThat(replies.get(4).path("messages")).hasSize(1);
    assertThat(replies.get(4).path("messages").get(0).path("data").asInt()).isEqualTo(2);
  }

  @Test
  void joinLeaveDisconnectPresenceRoomsAndInfo() throws Exception {
    Socket ada = clients.connect(app.port(), "ada");
    Socket bob = clients.connect(app.port(), "bob");
    BlockingQueue<Object[]> inbox = StandaloneClients.inbox(ada, "note");
    assertThat(api.ok("join", Map.of("user", "ada", "room", "team")).path("sockets").asInt()).isEqualTo(1);
    assertThat(api.ok("join", Map.of("socket", bob.id(), "room", "team")).path("sockets").asInt()).isEqualTo(1);
    api.ok("publish", Map.of("room", "team", "event", "note", "data", "hello team"));
    assertThat(inbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("hello team");

    JsonNode presence = api.ok("presence", Map.of("room", "team"));
    assertThat(presence.path("members").findValuesAsText("id")).containsExactlyInAnyOrder("ada", "bob");
    JsonNode stats = api.ok("presence_stats", Map.of("room", "team"));
    assertThat(stats.path("users").asInt()).isEqualTo(2);
    assertThat(stats.path("connections").asInt()).isEqualTo(2);
    JsonNode rooms = api.ok("rooms", Map.of("pattern", "t*"));
    assertThat(rooms.path("rooms").toString()).isEqualTo("[{\"room\":\"team\",\"members\":2}]");
    JsonNode all = api.ok("rooms", Map.of());
    assertThat(all.path("rooms").findValuesAsText("room")).contains("team", "user:ada", "user:bob")
        .doesNotContain(ada.id(), bob.id());

    assertThat(api.ok("leave", Map.of("user", "ada", "room", "team")).path("sockets").asInt()).isEqualTo(1);
    assertThat(api.ok("leave", Map.of("user", "nobody", "room", "team")).path("sockets").asInt()).isZero();
    assertThat(api.ok("presence_stats", Map.of("room", "team")).path("connections").asInt()).isEqualTo(1);

    JsonNode info = api.ok("info", Map.of());
    assertThat(info.path("version").asText()).isEqualTo(SwitchboardApp.VERSION);
    assertThat(info.path("nodes")).hasSize(1);
    assertThat(info.path("connections").path("websocket").asInt()).isEqualTo(2);

    BlockingQueue<Object[]> gone = StandaloneClients.inbox(bob, Socket.EVENT_DISCONNECT);
    assertThat(api.ok("disconnect", Map.of("socket", bob.id(), "reason", "banned")).path("sockets").asInt()).isEqualTo(1);
    assertThat(gone.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("io server disconnect");
    await().atMost(Duration.ofSeconds(5)).until(() -> api.ok("info", Map.of()).path("connections").path("websocket").asInt() == 1);
    assertThat(ada.connected()).isTrue();
  }
}
