package dev.switchboard.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The server API of two nodes on a real Redis: calls to either node act on the sockets of both. */
class ServerApiClusterTest {
  private RedisProcess redis;
  private SwitchboardApp a;
  private SwitchboardApp b;
  private ApiClient apiA;
  private ApiClient apiB;
  private final ApiTestClients clients = new ApiTestClients();

  static SwitchboardApp node(String redisUri, Map<String, String> extra) {
    Map<String, String> settings = new java.util.HashMap<>(Map.of("demo", "false", "jwt-secret", ApiTestClients.SECRET,
        "api-key", ApiTestClients.KEY, "redis", redisUri));
    settings.putAll(extra);
    return TestApps.start(settings);
  }

  @BeforeEach
  void start() throws Exception {
    redis = RedisProcess.start();
    a = node(redis.uri(), Map.of());
    b = node(redis.uri(), Map.of());
    apiA = new ApiClient(a.port(), ApiTestClients.KEY);
    apiB = new ApiClient(b.port(), ApiTestClients.KEY);
  }

  @AfterEach
  void stop() {
    clients.close();
    b.close();
    a.close();
    redis.close();
  }

  @Test
  void aRetriedPublishIsDeliveredOnceWhicheverNodeItReaches() throws Exception {
    Socket onA = clients.connect(a.port(), "ada");
    Socket onB = clients.connect(b.port(), "ada");
    BlockingQueue<Object[]> inboxA = StandaloneClients.inbox(onA, "order");
    BlockingQueue<Object[]> inboxB = StandaloneClients.inbox(onB, "order");
    int messages = 50;
    for (int n = 0; n < messages; n++) {
      Map<String, Object> publish = Map.of("user", "ada", "event", "order", "data", n, "id", "order-" + n);
      JsonNode first = (n % 2 == 0 ? apiA : apiB).ok("publish", publish);
      assertThat(first.has("duplicate")).isFalse();
      JsonNode retry = (n % 2 == 0 ? apiB : apiA).ok("publish", publish);
      assertThat(retry.path("duplicate").asBoolean()).as("retry of %s on the other node", n).isTrue();
    }
    apiB.ok("publish", Map.of("user", "ada", "event", "order", "data", -1));
    for (BlockingQueue<Object[]> inbox : List.of(inboxA, inboxB)) {
      List<Object> received = new ArrayList<>();
      while (!received.contains(-1)) {
        Object[] next = inbox.poll(5, TimeUnit.SECONDS);
        assertThat(next).as("received so far: %s", received).isNotNull();
        received.add(next[0]);
      }
      List<Object> expected = new ArrayList<>();
      for (int n = 0; n < messages; n++) {
        expected.add(n);
      }
      expected.add(-1);
      assertThat(received).as("each message once, in order").containsExactlyElementsOf(expected);
    }
  }

  @Test
  void historyRemovedOnOneNodeIsGoneOnBoth() {
    String before = apiA.ok("publish", Map.of("room", "log", "event", "line", "data", 1)).path("position").asText();
    apiB.ok("publish", Map.of("room", "log", "event", "line", "data", 2));
    assertThat(apiB.ok("history", Map.of("room", "log")).path("messages")).hasSize(2);
    apiA.ok("history_remove", Map.of("room", "log"));
    assertThat(apiB.ok("history", Map.of("room", "log")).path("messages")).isEmpty();
    JsonNode resumed = apiB.ok("history", Map.of("room", "log", "since", before));
    assertThat(resumed.path("gap").asBoolean()).as("a resume from before the removal is told of the gap").isTrue();
    String after = apiB.ok("publish", Map.of("room", "log", "event", "line", "data", 3)).path("position").asText();
    assertThat(after).endsWith(":1").isNotEqualTo(before);
    assertThat(after.split(":")[0]).isNotEqualTo(before.split(":")[0]);
  }

  @Test
  void joinLeaveAndDisconnectReachSocketsOnTheOtherNode() throws Exception {
    Socket ada = clients.connect(b.port(), "ada");
    Socket bob = clients.connect(b.port(), "bob");
    BlockingQueue<Object[]> inbox = StandaloneClients.inbox(ada, "note");
    for (int round = 0; round < 20; round++) {
      String room = "team-" + round;
      assertThat(apiA.ok("join", Map.of("user", "ada", "room", room)).path("sockets").asInt())
          .as("sockets joined, counted by the node they are on").isEqualTo(1);
      apiA.ok("publish", Map.of("room", room, "event", "note", "data", room));
      Object[] received = inbox.poll(5, TimeUnit.SECONDS);
      assertThat(received).as("a publish right after the join on the other node reaches %s", room).isNotNull();
      assertThat(received[0]).isEqualTo(room);
    }
    assertThat(apiA.ok("presence_stats", Map.of("room", "team-0")).path("connections").asInt()).isEqualTo(1);
    JsonNode rooms = apiA.ok("rooms", Map.of("pattern", "user:*"));
    assertThat(rooms.path("nodes").asInt()).isEqualTo(2);
    assertThat(rooms.path("rooms").toString()).isEqualTo("[{\"room\":\"user:ada\",\"members\":1},{\"room\":\"user:bob\",\"members\":1}]");

    assertThat(apiA.ok("leave", Map.of("user", "ada", "room", "team-0")).path("sockets").asInt()).isEqualTo(1);
    assertThat(apiA.ok("presence_stats", Map.of("room", "team-0")).path("connections").asInt()).isZero();

    clients.connect(a.port(), "ada");
    assertThat(apiB.ok("rooms", Map.of("pattern", "user:ada")).path("rooms").get(0).path("members").asInt())
        .as("members summed over the nodes").isEqualTo(2);
    assertThat(apiB.ok("join", Map.of("user", "ada", "room", "both")).path("sockets").asInt())
        .as("ada's sockets on both nodes").isEqualTo(2);
    assertThat(apiA.ok("leave", Map.of("user", "ada", "room", "both")).path("sockets").asInt()).isEqualTo(2);
    assertThat(apiA.ok("join", Map.of("user", "nobody", "room", "both")).path("sockets").asInt()).isZero();
    JsonNode info = apiB.ok("info", Map.of());
    assertThat(info.path("nodes")).hasSize(2);
    assertThat(info.path("connections").path("websocket").asInt()).isEqualTo(3);

    BlockingQueue<Object[]> gone = StandaloneClients.inbox(bob, Socket.EVENT_DISCONNECT);
    assertThat(apiA.ok("disconnect", Map.of("user", "bob")).path("sockets").asInt()).isEqualTo(1);
    assertThat(gone.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(ada.connected()).isTrue();
  }
}
