package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two nodes sharing a Redis of the test's own, with clients spread over them. */
class ClusterTest {
  private final Nodes nodes = new Nodes();
  private RedisProcess redis;
  private SwitchboardApp nodeA;
  private SwitchboardApp nodeB;
  private final Clients clients = new Clients();

  static SwitchboardApp node(String redisUri, Map<String, String> extra) {
    ConfigValues values = TestApps.values(Map.of("demo", "false", "jwt-secret", Clients.SECRET, "redis", redisUri));
    extra.forEach((key, value) -> values.set(key, value, "test"));
    return SwitchboardApp.start(ServerConfig.from(values));
  }

  private void start(Map<String, String> extra) {
    nodeA = nodes.add(node(redis.uri(), extra));
    nodeB = nodes.add(node(redis.uri(), extra));
  }

  @BeforeEach
  void startRedis() throws Exception {
    redis = nodes.redis(RedisProcess.start());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      clients.close();
    } finally {
      nodes.close();
    }
  }

  @Test
  void publishReachesMembersOnTheOtherNodeButNotTheSender() throws Exception {
    start(Map.of());
    Socket alice = clients.connect(nodeA.port(), "alice");
    Socket bob = clients.connect(nodeB.port(), "bob");
    Socket carol = clients.connect(nodeB.port(), "carol");
    BlockingQueue<Object[]> aliceInbox = inbox(alice, "chat");
    BlockingQueue<Object[]> bobInbox = inbox(bob, "chat");
    BlockingQueue<Object[]> carolInbox = inbox(carol, "chat");
    for (Socket socket : List.of(alice, bob, carol)) {
      join(socket, "lobby");
    }

    JSONObject answer = call(alice, "room:publish",
        new JSONObject().put("room", "lobby").put("event", "chat").put("data", new JSONObject().put("text", "hi")));
    assertThat(answer.getBoolean("ok")).isTrue();

    for (BlockingQueue<Object[]> inbox : List.of(bobInbox, carolInbox)) {
      Object[] received = inbox.poll(5, TimeUnit.SECONDS);
      assertThat(received).as("chat on node B").isNotNull();
      assertThat(((JSONObject) received[0]).getString("text")).isEqualTo("hi");
      assertThat(((JSONObject) received[1]).getString("room")).isEqualTo("lobby");
      assertThat(((JSONObject) received[1]).getString("from")).isEqualTo(alice.id());
    }
    // A later broadcast from node B reaches alice; the chat would have come first.
    nodeB.io().to("lobby").emit("chat", "marker");
    Object[] first = aliceInbox.poll(5, TimeUnit.SECONDS);
    assertThat(first).isNotNull();
    assertThat(first[0]).isEqualTo("marker");
  }

  @Test
  void broadcastToSeveralRoomsReachesEachMemberOnceAndHonoursExcept() throws Exception {
    start(Map.of());
    Socket both = clients.connect(nodeB.port(), "both");
    Socket excluded = clients.connect(nodeB.port(), "excluded");
    Socket onlyTwo = clients.connect(nodeB.port(), "only-two");
    join(both, "r1");
    join(both, "r2");
    join(excluded, "r1");
    join(excluded, "r3");
    join(onlyTwo, "r2");
    BlockingQueue<Object[]> bothInbox = inbox(both, "news");
    BlockingQueue<Object[]> excludedInbox = inbox(excluded, "news");
    BlockingQueue<Object[]> onlyTwoInbox = inbox(onlyTwo, "news");

    nodeA.io().to("r1", "r2").except("r3").emit("news", 1);
    nodeA.io().to("r1", "r2", "r3").emit("news", 2);

    assertThat(onlyTwoInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo(1);
    assertThat(onlyTwoInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo(2);
    assertThat(bothInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo(1);
    assertThat(bothInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo(2);
    assertThat(excludedInbox.poll(5, TimeUnit.SECONDS)[0]).as("excepted from the first, reached by the second").isEqualTo(2);
    nodeA.io().emit("news", 3);
    for (BlockingQueue<Object[]> inbox : List.of(bothInbox, excludedInbox, onlyTwoInbox)) {
      assertThat(inbox.poll(5, TimeUnit.SECONDS)[0]).as("nothing twice before the marker").isEqualTo(3);
    }
  }

  @Test
  void userRoomsSpanNodes() throws Exception {
    start(Map.of());
    Socket adaOnA = clients.connect(nodeA.port(), "ada");
    Socket adaOnB = clients.connect(nodeB.port(), "ada");
    Socket bob = clients.connect(nodeB.port(), "bob");
    BlockingQueue<Object[]> onA = inbox(adaOnA, "dm");
    BlockingQueue<Object[]> onB = inbox(adaOnB, "dm");
    BlockingQueue<Object[]> bobInbox = inbox(bob, "dm");

    nodeA.io().toUser("ada").emit("dm", "for ada");
    nodeA.io().toUser("bob").emit("dm", "for bob");

    assertThat(onA.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("for ada");
    assertThat(onB.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("for ada");
    assertThat(bobInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("for bob");
    // A socket's own room crosses nodes too.
    nodeA.io().to(bob.id()).emit("dm", "by socket id");
    assertThat(bobInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("by socket id");
  }

  @Test
  void aUserIsReachableFromEveryNodeOnceConnected() throws Exception {
    start(Map.of());
    for (int round = 0; round < 200; round++) {
      String user = "user-" + round;
      Socket socket = clients.connect(nodeB.port(), user);
      BlockingQueue<Object[]> inbox = inbox(socket, "dm");
      nodeA.io().toUser(user).emit("dm", round);
      assertThat(inbox.poll(5, TimeUnit.SECONDS)).as("round %d", round).isNotNull();
      socket.close();
    }
  }

  @Test
  void fetchSocketsAndServerSideOperationsSpanNodes() throws Exception {
    start(Map.of());
    Socket one = clients.connect(nodeA.port(), "one");
    Socket two = clients.connect(nodeB.port(), "two");
    Socket three = clients.connect(nodeB.port(), "three");
    Socket outsider = clients.connect(nodeB.port(), "outsider");
    for (Socket socket : List.of(one, two, three)) {
      join(socket, "team");
    }

    List<RemoteSocket> found = nodeA.io().in("team").fetchSockets().get(5, TimeUnit.SECONDS);
    assertThat(found).extracting(RemoteSocket::id).containsExactlyInAnyOrder(one.id(), two.id(), three.id());
    RemoteSocket remote = found.stream().filter(s -> s.id().equals(two.id())).findFirst().orElseThrow();
    assertThat(remote.rooms()).contains("team", "user:two", two.id());
    assertThat(remote.handshake().auth().has("token")).isTrue();

    nodeA.io().in("team").socketsJoin("extra").get(5, TimeUnit.SECONDS);
    BlockingQueue<Object[]> twoInbox = inbox(two, "ping");
    BlockingQueue<Object[]> outsiderInbox = inbox(outsider, "ping");
    nodeA.io().to("extra").emit("ping", "extra");
    assertThat(twoInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("extra");

    CompletableFuture<Object> threeGone = new CompletableFuture<>();
    three.on(Socket.EVENT_DISCONNECT, args -> threeGone.complete(args.length > 0 ? args[0] : ""));
    remote = nodeA.io().fetchSockets().get(5, TimeUnit.SECONDS).stream()
        .filter(s -> s.id().equals(three.id())).findFirst().orElseThrow();
    remote.disconnect(false);
    assertThat(threeGone.get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");

    nodeA.io().in("extra").socketsLeave("extra").get(5, TimeUnit.SECONDS);
    nodeA.io().emit("ping", "all");
    nodeA.io().to("extra").emit("ping", "extra again");
    nodeA.io().emit("ping", "all again");
    assertThat(twoInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("all");
    assertThat(twoInbox.poll(5, TimeUnit.SECONDS)[0]).as("left extra on node B").isEqualTo("all again");
    assertThat(outsiderInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("all");
  }

  @Test
  void presenceIsSharedAndAnnouncedAcrossNodes() throws Exception {
    start(Map.of());
    Socket alice = clients.connect(nodeA.port(), "alice");
    Socket bob = clients.connect(nodeB.port(), "bob");
    BlockingQueue<Object[]> aliceJoins = inbox(alice, "presence:join");
    BlockingQueue<Object[]> aliceLeaves = inbox(alice, "presence:leave");
    join(alice, "doc");
    join(bob, "doc");

    Object[] joined = aliceJoins.poll(5, TimeUnit.SECONDS);
    assertThat(joined).isNotNull();
    assertThat(((JSONObject) joined[0]).getJSONObject("member").getString("id")).isEqualTo("bob");
    JSONArray members = call(bob, "presence:list", new JSONObject().put("room", "doc")).getJSONArray("members");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < members.length(); i++) {
      ids.add(members.getJSONObject(i).getString("id"));
    }
    assertThat(ids).containsExactlyInAnyOrder("alice", "bob");

    bob.disconnect();
    Object[] left = aliceLeaves.poll(5, TimeUnit.SECONDS);
    assertThat(left).isNotNull();
    assertThat(((JSONObject) left[0]).getJSONObject("member").getString("id")).isEqualTo("bob");
    await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.io().fetchPresence("doc").get().size() == 1);
  }

  @Test
  void perUserConnectionCapCountsEveryNode() throws Exception {
    start(Map.of("max-connections-per-user", "2"));
    clients.connect(nodeA.port(), "ada");
    clients.connect(nodeB.port(), "ada");
    Socket third = clients.socket(nodeA.port(), "ada");
    CompletableFuture<Object> refused = new CompletableFuture<>();
    third.once(Socket.EVENT_CONNECT_ERROR, args -> refused.complete(args[0]));
    third.once(Socket.EVENT_CONNECT, args -> refused.complete("connected"));
    third.connect();
    Object error = refused.orTimeout(5, TimeUnit.SECONDS).join();
    assertThat(error).isInstanceOf(JSONObject.class);
    assertThat(((JSONObject) error).getJSONObject("data").getString("code")).isEqualTo("TOO_MANY_CONNECTIONS");
  }
}
