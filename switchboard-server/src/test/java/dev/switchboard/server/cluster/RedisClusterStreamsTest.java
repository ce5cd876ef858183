package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.join;
import static dev.switchboard.server.StandaloneClients.publishNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.SseReader;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Room history and connection state recovery shared by two nodes on a Redis Cluster of three
 * masters: each room's streams live on its channel's shard, so history, SSE resumes and Socket.IO
 * recoveries answer the same on both nodes with rooms on different shards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterStreamsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Nodes nodes = new Nodes();
  private RedisClusterProcesses redis;
  private SwitchboardApp nodeA;
  private SwitchboardApp nodeB;
  private final Clients clients = new Clients();

  @BeforeAll
  void startCluster() throws Exception {
    redis = nodes.redis(RedisClusterProcesses.start(3));
    nodeA = nodes.add(ClusterTest.node(redis.uri(), Map.of()));
    nodeB = nodes.add(ClusterTest.node(redis.uri(), Map.of()));
  }

  @AfterEach
  void closeClients() {
    clients.close();
  }

  @AfterAll
  void stopCluster() throws Exception {
    nodes.close();
  }

  @Test
  void historyAnswersTheSameOnBothNodesForRoomsOnEveryShard() throws Exception {
    List<String> rooms = roomsOnEveryShard("log");
    Socket alice = clients.connect(nodeA.port(), "alice");
    Socket bob = clients.connect(nodeB.port(), "bob");
    for (String room : rooms) {
      join(alice, room);
      join(bob, room);
    }
    for (int i = 1; i <= 4; i++) {
      for (String room : rooms) {
        publishNumber(i % 2 == 0 ? alice : bob, room, i);
      }
    }

    for (String room : rooms) {
      JSONObject fromA = call(alice, "history", new JSONObject().put("room", room));
      JSONObject fromB = call(bob, "history", new JSONObject().put("room", room));
      assertThat(fromA.getBoolean("ok")).as(fromA.toString()).isTrue();
      assertThat(fromA.getJSONArray("messages").toString()).isEqualTo(fromB.getJSONArray("messages").toString());
      assertThat(fromA.getString("head")).isEqualTo(fromB.getString("head"));
      String epoch = fromA.getString("head").split(":")[0];
      JSONArray messages = fromA.getJSONArray("messages");
      assertThat(numbers(messages)).containsExactly(1, 2, 3, 4);
      for (int i = 0; i < messages.length(); i++) {
        assertThat(messages.getJSONObject(i).getString("position")).isEqualTo(epoch + ":" + (i + 1));
      }
      JSONObject since = call(bob, "history", new JSONObject().put("room", room).put("since", epoch + ":2"));
      assertThat(since.getBoolean("gap")).isFalse();
      assertThat(numbers(since.getJSONArray("messages"))).containsExactly(3, 4);
      // The room's history lives on the shard of its channel.
      int owner = redis.ownerOf(SlotHash.getSlot(channel(room)));
      assertThat(redis.master(owner).exists("sb:h:{1:/" + room + "}", "sb:h:{1:/" + room + "}:m")).isEqualTo(2L);
    }
  }

  @Test
  void sseStreamOfRoomsOnTwoShardsResumesOnTheOtherNodeWithExactlyWhatItMissed() throws Exception {
    List<String> rooms = roomsOnEveryShard("feed").subList(0, 2);
    String first = rooms.get(0);
    String second = rooms.get(1);
    Socket bob = clients.connect(nodeB.port(), "bob");
    join(bob, first);
    join(bob, second);
    String query = "/sse?rooms=" + first + "," + second;
    String lastId;
    try (SseReader stream = SseReader.open(nodeA.port(), query, bearer("dave"))) {
      assertThat(stream.status()).isEqualTo(200);
      await().atMost(WAIT).until(() -> {
        Map<String, Integer> sizes = nodeA.io().localRoomSizes().join();
        return sizes.getOrDefault(first, 0) == 1 && sizes.getOrDefault(second, 0) == 1;
      });
      publishNumber(bob, first, 1);
      publishNumber(bob, second, 2);
      List<SseReader.Event> live = stream.next(2, WAIT);
      assertThat(live).extracting(SseReader.Event::data).containsExactlyInAnyOrder("{\"n\":1}", "{\"n\":2}");
      lastId = live.get(1).id();
    }
    publishNumber(bob, first, 3);
    publishNumber(bob, second, 4);
    publishNumber(bob, first, 5);
    try (SseReader resumed = SseReader.open(nodeB.port(), query, bearer("dave", "Last-Event-ID", lastId))) {
      List<SseReader.Event> missed = resumed.next(3, WAIT);
      assertThat(missed).extracting(SseReader.Event::event).containsOnly("chat");
      assertThat(missed).extracting(SseReader.Event::data)
          .containsExactlyInAnyOrder("{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
      assertThat(missed).extracting(SseReader.Event::data).containsSubsequence("{\"n\":3}", "{\"n\":5}");
      publishNumber(bob, second, 6);
      assertThat(resumed.next(WAIT).data()).isEqualTo("{\"n\":6}");
      assertThat(resumed.drain()).isEmpty();
    }
  }

  @Test
  void aClientInRoomsOnTwoShardsRecoversOnTheOtherNodeWithWhatItMissedOnceAndInOrder() {
    List<String> rooms = roomsOnEveryShard("recover").subList(0, 2);
    NodeRunner.Result result = NodeRunner.runTest("standalone/cluster-recovery.test.mjs", Map.of(
        "SWITCHBOARD_URL_FROM", url(nodeA),
        "SWITCHBOARD_URL_PUBLISH", url(nodeB),
        "SWITCHBOARD_URL_TO", url(nodeB),
        "SWITCHBOARD_DROP", "client",
        "SWITCHBOARD_ROOMS", String.join(",", rooms),
        "SWITCHBOARD_TOKEN_ALICE", Clients.token("alice"),
        "SWITCHBOARD_TOKEN_BOB", Clients.token("bob")), Duration.ofSeconds(60));
    assertThat(result.exitCode()).as("cluster-recovery.test.mjs failed; its output:%n%s", result.outputText()).isZero();
  }

  @Test
  void aRecoveredSocketGetsWhatReachedItThroughRoomsOnTwoShardsTheNamespaceAndItsOwnRoomOnceInTimeOrder()
      throws Exception {
    List<String> rooms = roomsOnEveryShard("mixed").subList(0, 2);
    String first = rooms.get(0);
    String second = rooms.get(1);
    Socket bob = clients.connect(nodeB.port(), "bob");
    Socket carol = clients.connect(nodeB.port(), "carol");
    join(bob, first);
    join(carol, second);
    BlockingQueue<Object[]> bobInbox = StandaloneClients.inbox(bob, "chat");
    BlockingQueue<Object[]> carolInbox = StandaloneClients.inbox(carol, "chat");
    try (ConnectionProxy toA = ConnectionProxy.roundRobin(nodeA.port())) {
      RecoveringClient erin = RecoveringClient.connect(toA.port(), Map.of("token", Clients.token("erin")));
      join(erin.socket(), first);
      join(erin.socket(), second);
      nodeB.io().to(first).emit("chat", 1);
      assertThat(erin.next()).isEqualTo(1);
      nodeB.io().emit("chat", 2);
      assertThat(erin.next()).isEqualTo(2);
      nodeA.io().sockets().get(erin.id()).emit("chat", 3);
      assertThat(erin.next()).as("a packet to the socket alone, whose offset the client keeps").isEqualTo(3);
      String pid = erin.pid();
      String offset = erin.offset();
      String sid = erin.id();
      toA.close();
      erin.close();
      awaitKept(pid);

      nodeB.io().to(second).emit("chat", 4);
      assertThat(carolInbox.poll(10, TimeUnit.SECONDS)).isNotNull();
      nodeB.io().to(first, second).emit("chat", 5);
      assertThat(carolInbox.poll(10, TimeUnit.SECONDS)).isNotNull();
      nodeB.io().emit("chat", 6);
      assertThat(carolInbox.poll(10, TimeUnit.SECONDS)).isNotNull();
      nodeB.io().to(first).except(second).emit("chat", 7);
      assertThat(bobInbox.poll(10, TimeUnit.SECONDS)).as("bob's inbox holds 1, 5, 6 and 7").isNotNull();
      nodeB.io().to(sid).emit("chat", 8);

      RecoveringClient back = RecoveringClient.connect(nodeB.port(),
          Map.of("token", Clients.token("erin"), "pid", pid, "offset", offset));
      assertThat(back.id()).isEqualTo(sid);
      assertThat(nodeB.io().sockets().get(sid).recovered()).isTrue();
      List<Object> missed = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        missed.add(back.next());
      }
      // Each exactly once. Order is exact within one stream (6 and 8 share the namespace's); across
      // shards it is by the masters' clocks, and 4 and 5 (rooms on two shards) came back swapped
      // once in a full-suite run, so only their presence is asserted here.
      assertThat(missed).containsExactlyInAnyOrder(4, 5, 6, 8);
      assertThat(missed.indexOf(6)).as("order within the namespace's stream").isLessThan(missed.indexOf(8));
      nodeA.io().to(first).emit("chat", 9);
      assertThat(back.next()).as("nothing twice, nothing more").isEqualTo(9);
      back.close();
    }
  }

  @Test
  void aSocketWhoseMissedPacketsAreNoLongerAllKeptStartsAfresh() throws Exception {
    String room = roomsOnEveryShard("gone").get(0);
    Socket bob = clients.connect(nodeB.port(), "bob");
    join(bob, room);
    BlockingQueue<Object[]> bobInbox = StandaloneClients.inbox(bob, "chat");
    try (ConnectionProxy toA = ConnectionProxy.roundRobin(nodeA.port())) {
      RecoveringClient frank = RecoveringClient.connect(toA.port(), Map.of("token", Clients.token("frank")));
      join(frank.socket(), room);
      nodeB.io().to(room).emit("chat", 1);
      assertThat(frank.next()).isEqualTo(1);
      String pid = frank.pid();
      String offset = frank.offset();
      String sid = frank.id();
      toA.close();
      frank.close();
      awaitKept(pid);
      nodeB.io().to(room).emit("chat", 2);
      nodeB.io().to(room).emit("chat", 3);
      assertThat(bobInbox.poll(10, TimeUnit.SECONDS)).isNotNull();
      assertThat(bobInbox.poll(10, TimeUnit.SECONDS)).isNotNull();
      // The first missed packet leaves the room's stream, as the oldest do beyond its length.
      String stream = "sb:rs:{1:/" + room + "}";
      RedisCommands<String, String> owner = redis.master(redis.ownerOf(SlotHash.getSlot(stream)));
      String missed = owner.xrange(stream, Range.create("(" + offset, "+")).get(0).getId();
      assertThat(owner.xdel(stream, missed)).isEqualTo(1L);

      RecoveringClient back = RecoveringClient.connect(nodeB.port(),
          Map.of("token", Clients.token("frank"), "pid", pid, "offset", offset));
      assertThat(back.id()).isNotEqualTo(sid);
      assertThat(nodeB.io().sockets().get(back.id()).recovered()).isFalse();
      back.close();
    }
  }

  /** Waits until the node that lost the socket {@code pid} has kept it in Redis. */
  private void awaitKept(String pid) {
    String key = "sb:ds:{1:/" + pid + "}";
    int owner = redis.ownerOf(SlotHash.getSlot(key));
    await().atMost(WAIT).until(() -> redis.master(owner).exists(key) == 1L);
  }

  private static List<Integer> numbers(JSONArray messages) throws Exception {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < messages.length(); i++) {
      out.add(messages.getJSONObject(i).getJSONObject("data").getInt("n"));
    }
    return out;
  }

  /** Rooms named {@code prefix-n}, one whose channel lives on each master. */
  private List<String> roomsOnEveryShard(String prefix) {
    String[] byMaster = new String[redis.size()];
    for (int n = 0; Arrays.stream(byMaster).anyMatch(room -> room == null); n++) {
      String room = prefix + "-" + n;
      int owner = redis.ownerOf(SlotHash.getSlot(channel(room)));
      if (byMaster[owner] == null) {
        byMaster[owner] = room;
      }
    }
    return List.of(byMaster);
  }

  /** The channel of a room of the main namespace. */
  private static String channel(String room) {
    return "sb:r:{1:/" + room + "}";
  }

  /** Request headers authenticating {@code user}, and {@code more} name/value pairs. */
  private static Map<String, String> bearer(String user, String... more) {
    Map<String, String> headers = new HashMap<>();
    headers.put("Authorization", "Bearer " + Clients.token(user));
    for (int i = 0; i + 1 < more.length; i += 2) {
      headers.put(more[i], more[i + 1]);
    }
    return headers;
  }

  private static String url(SwitchboardApp node) {
    return "http://127.0.0.1:" + node.port();
  }
}
