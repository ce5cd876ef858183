package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two nodes on a Redis Cluster of three masters (sharded pub/sub): rooms whose channels live on
 * different shards, what each shard has subscribed, presence, server-side operations, per-user
 * connection caps, a room's slot moving to another master, and the cross-node latency.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterTest {
  private final Nodes nodes = new Nodes();
  private RedisClusterProcesses redis;
  private SwitchboardApp nodeA;
  private SwitchboardApp nodeB;
  private final Clients clients = new Clients();

  @BeforeAll
  void startCluster() throws Exception {
    redis = nodes.redis(RedisClusterProcesses.start(3));
    nodeA = nodes.add(ClusterTest.node(redis.uri(), Map.of("max-connections-per-user", "2")));
    nodeB = nodes.add(ClusterTest.node(redis.uri(), Map.of("max-connections-per-user", "2")));
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
  void roomsOnEveryShardReachTheOtherNodeButNotTheSender() throws Exception {
    List<String> rooms = roomsOnEveryShard("news");
    Socket alice = clients.connect(nodeA.port(), "alice");
    Socket bob = clients.connect(nodeB.port(), "bob");
    BlockingQueue<Object[]> aliceInbox = inbox(alice, "chat");
    BlockingQueue<Object[]> bobInbox = inbox(bob, "chat");
    for (String room : rooms) {
      join(alice, room);
      join(bob, room);
    }
    for (String room : rooms) {
      awaitSubscribers(room, 2);
    }

    for (String room : rooms) {
      JSONObject answer = call(alice, "room:publish",
          new JSONObject().put("room", room).put("event", "chat").put("data", new JSONObject().put("text", room)));
      assertThat(answer.getBoolean("ok")).isTrue();
    }

    Set<String> received = new HashSet<>();
    for (int i = 0; i < rooms.size(); i++) {
      Object[] message = bobInbox.poll(5, TimeUnit.SECONDS);
      assertThat(message).as("chat %d on node B", i).isNotNull();
      received.add(((JSONObject) message[0]).getString("text"));
      assertThat(((JSONObject) message[1]).getString("from")).isEqualTo(alice.id());
    }
    assertThat(received).containsExactlyInAnyOrderElementsOf(rooms);
    // Later broadcasts come first: nothing of alice's own came back to her, nothing reached bob twice.
    nodeB.io().to(rooms.get(0)).emit("chat", "marker");
    assertThat(aliceInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("marker");
    assertThat(bobInbox.poll(5, TimeUnit.SECONDS)[0]).as("bob is a member on node B").isEqualTo("marker");
    nodeA.io().to(rooms.get(0)).emit("chat", "end");
    assertThat(bobInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("end");

    for (String room : rooms) {
      int owner = redis.ownerOf(slot(room));
      for (int i = 0; i < redis.size(); i++) {
        Map<String, Long> subscribers = redis.master(i).pubsubShardNumsub(channel(room));
        assertThat(subscribers.get(channel(room))).as("subscribers of %s on master %d (owner %d)", room, i, owner)
            .isEqualTo(i == owner ? 2L : 0L);
        assertThat(redis.master(i).pubsubShardChannels().contains(channel(room))).isEqualTo(i == owner);
      }
    }
  }

  @Test
  void aNodeSubscribesOnlyTheRoomsItHasMembersIn() throws Exception {
    String room = "solo";
    RedisCommands<String, String> owner = redis.master(redis.ownerOf(slot(room)));
    Socket carol = clients.connect(nodeA.port(), "carol");
    Socket dave = clients.connect(nodeB.port(), "dave");
    assertThat(owner.pubsubShardNumsub(channel(room)).get(channel(room))).isZero();

    join(carol, room);
    awaitSubscribers(room, 1);
    join(dave, room);
    awaitSubscribers(room, 2);

    assertThat(call(carol, "room:leave", new JSONObject().put("room", room)).getBoolean("ok")).isTrue();
    await().atMost(Duration.ofSeconds(5))
        .until(() -> owner.pubsubShardNumsub(channel(room)).get(channel(room)) == 1L);
    dave.disconnect();
    await().atMost(Duration.ofSeconds(5)).until(() -> !owner.pubsubShardChannels().contains(channel(room)));
  }

  @Test
  void broadcastToRoomsOnSeveralShardsReachesEachMemberOnceAndHonoursExcept() throws Exception {
    List<String> rooms = roomsOnEveryShard("multi");
    String r1 = rooms.get(0);
    String r2 = rooms.get(1);
    String r3 = rooms.get(2);
    Socket both = clients.connect(nodeB.port(), "both");
    Socket excluded = clients.connect(nodeB.port(), "excluded");
    Socket onlyTwo = clients.connect(nodeB.port(), "only-two");
    join(both, r1);
    join(both, r2);
    join(excluded, r1);
    join(excluded, r3);
    join(onlyTwo, r2);
    for (String room : rooms) {
      awaitSubscribers(room, 1);
    }
    BlockingQueue<Object[]> bothInbox = inbox(both, "news");
    BlockingQueue<Object[]> excludedInbox = inbox(excluded, "news");
    BlockingQueue<Object[]> onlyTwoInbox = inbox(onlyTwo, "news");

    nodeA.io().to(r1, r2).except(r3).emit("news", 1);
    assertThat(onlyTwoInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo(1);
    assertThat(bothInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo(1);
    nodeA.io().to(r1, r2, r3).emit("news", 2);
    assertThat(onlyTwoInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo(2);
    assertThat(bothInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo(2);
    assertThat(excludedInbox.poll(5, TimeUnit.SECONDS)[0]).as("excepted from the first, reached by the second").isEqualTo(2);
    nodeA.io().emit("news", 3);
    for (BlockingQueue<Object[]> inbox : List.of(bothInbox, excludedInbox, onlyTwoInbox)) {
      assertThat(inbox.poll(5, TimeUnit.SECONDS)[0]).as("nothing twice before the marker").isEqualTo(3);
    }
  }

  @Test
  void presenceIsSharedAndAnnouncedAcrossNodes() throws Exception {
    Socket erin = clients.connect(nodeA.port(), "erin");
    Socket frank = clients.connect(nodeB.port(), "frank");
    BlockingQueue<Object[]> joins = inbox(erin, "presence:join");
    BlockingQueue<Object[]> leaves = inbox(erin, "presence:leave");
    join(erin, "doc");
    awaitSubscribers("doc", 1);
    join(frank, "doc");

    Object[] joined = joins.poll(5, TimeUnit.SECONDS);
    assertThat(joined).isNotNull();
    assertThat(((JSONObject) joined[0]).getJSONObject("member").getString("id")).isEqualTo("frank");
    JSONArray members = call(frank, "presence:list", new JSONObject().put("room", "doc")).getJSONArray("members");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < members.length(); i++) {
      ids.add(members.getJSONObject(i).getString("id"));
    }
    assertThat(ids).containsExactlyInAnyOrder("erin", "frank");

    frank.disconnect();
    Object[] left = leaves.poll(5, TimeUnit.SECONDS);
    assertThat(left).isNotNull();
    assertThat(((JSONObject) left[0]).getJSONObject("member").getString("id")).isEqualTo("frank");
    await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.io().fetchPresence("doc").get().size() == 1);
  }

  @Test
  void fetchSocketsAndServerSideOperationsSpanNodes() throws Exception {
    Socket one = clients.connect(nodeA.port(), "one");
    Socket two = clients.connect(nodeB.port(), "two");
    Socket three = clients.connect(nodeB.port(), "three");
    for (Socket socket : List.of(one, two, three)) {
      join(socket, "team");
    }

    List<RemoteSocket> found = nodeA.io().in("team").fetchSockets().get(5, TimeUnit.SECONDS);
    assertThat(found).extracting(RemoteSocket::id).containsExactlyInAnyOrder(one.id(), two.id(), three.id());

    nodeA.io().in("team").socketsJoin("extra").get(5, TimeUnit.SECONDS);
    awaitSubscribers("extra", 2);
    BlockingQueue<Object[]> twoInbox = inbox(two, "ping");
    nodeA.io().to("extra").emit("ping", "extra");
    assertThat(twoInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("extra");

    CompletableFuture<Object> threeGone = new CompletableFuture<>();
    three.on(Socket.EVENT_DISCONNECT, args -> threeGone.complete(args.length > 0 ? args[0] : ""));
    found.stream().filter(s -> s.id().equals(three.id())).findFirst().orElseThrow().disconnect(false);
    assertThat(threeGone.get(5, TimeUnit.SECONDS)).isEqualTo("io server disconnect");
  }

  @Test
  void perUserConnectionCapCountsEveryNode() throws Exception {
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

  @Test
  void aRoomWhoseSlotMovesIsSubscribedOnItsNewMaster() throws Exception {
    String room = "moving";
    Socket gina = clients.connect(nodeA.port(), "gina");
    Socket hank = clients.connect(nodeB.port(), "hank");
    join(gina, room);
    join(hank, room);
    BlockingQueue<Object[]> hankInbox = inbox(hank, "chat");
    int slot = slot(room);
    int from = redis.ownerOf(slot);
    int to = (from + 1) % redis.size();
    awaitSubscribers(room, 2);

    moveSlot(slot, from, to);

    // Redis dropped both nodes' subscriptions on the old master; each subscribes on the new one.
    await().atMost(Duration.ofSeconds(10))
        .until(() -> redis.master(to).pubsubShardNumsub(channel(room)).get(channel(room)) == 2L);
    assertThat(redis.master(from).pubsubShardNumsub(channel(room)).get(channel(room))).isZero();
    nodeA.io().to(room).emit("chat", "after the move");
    assertThat(hankInbox.poll(5, TimeUnit.SECONDS)[0]).isEqualTo("after the move");
  }

  @Test
  void roomsOfARestartedMasterAreSubscribedAgain() throws Exception {
    List<String> rooms = roomsOnOneMaster("restart", 0, 3);
    Socket ivy = clients.connect(nodeA.port(), "ivy");
    Socket jack = clients.connect(nodeB.port(), "jack");
    for (String room : rooms) {
      join(ivy, room);
      join(jack, room);
      awaitSubscribers(room, 2);
    }
    BlockingQueue<Object[]> jackInbox = inbox(jack, "chat");

    redis.restart(0);

    // Lettuce resubscribes a node connection's channels in one SSUBSCRIBE, which Redis refuses for
    // several slots (CROSSSLOT); each node subscribes them again one by one.
    for (String room : rooms) {
      await().atMost(Duration.ofSeconds(10))
          .until(() -> redis.master(0).pubsubShardNumsub(channel(room)).get(channel(room)) == 2L);
    }
    Set<Object> received = new HashSet<>();
    for (String room : rooms) {
      nodeA.io().to(room).emit("chat", room);
    }
    for (int i = 0; i < rooms.size(); i++) {
      Object[] message = jackInbox.poll(5, TimeUnit.SECONDS);
      assertThat(message).as("broadcast %d after the restart", i).isNotNull();
      received.add(message[0]);
    }
    assertThat(received).containsExactlyInAnyOrderElementsOf(rooms);
  }

  @Test
  void crossNodeLatencyThroughTheCluster() throws Exception {
    int warmup = 300;
    int messages = 1000;
    try (SwitchboardApp first = ClusterTest.node(redis.uri(), Map.of("connection-state-recovery", "false"));
        SwitchboardApp second = ClusterTest.node(redis.uri(), Map.of("connection-state-recovery", "false"))) {
      Socket same = clients.connect(first.port(), "same");
      Socket cross = clients.connect(second.port(), "cross");
      join(same, "lat");
      join(cross, "lat");
      awaitSubscribers("lat", 2);
      long[] sameNode = new long[warmup + messages];
      long[] crossNode = new long[warmup + messages];
      CountDownLatch done = new CountDownLatch(2 * (warmup + messages));
      record(same, sameNode, done);
      record(cross, crossNode, done);

      for (int i = 0; i < warmup + messages; i++) {
        first.io().to("lat").emit("t", i, System.nanoTime());
        long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
        while (System.nanoTime() < next) {
          Thread.onSpinWait(); // 500 messages per second
        }
      }
      assertThat(done.await(30, TimeUnit.SECONDS)).as("every message arrived on both nodes").isTrue();
      long[] s = Arrays.copyOfRange(sameNode, warmup, sameNode.length);
      long[] c = Arrays.copyOfRange(crossNode, warmup, crossNode.length);
      Arrays.sort(s);
      Arrays.sort(c);
      System.out.printf("broadcast latency over %d messages: same node p50 %.2f ms p99 %.2f ms;"
          + " cross node (Redis Cluster, sharded) p50 %.2f ms p99 %.2f ms%n",
          messages, ms(s, 0.50), ms(s, 0.99), ms(c, 0.50), ms(c, 0.99));
      assertThat(ms(c, 0.99)).as("cross-node p99 in ms").isLessThan(250);
    }
  }

  /** Waits until the master owning {@code room}'s slot has that many subscribers (nodes) of its channel. */
  private void awaitSubscribers(String room, long nodes) {
    RedisCommands<String, String> owner = redis.master(redis.ownerOf(slot(room)));
    await("%d nodes subscribed to %s".formatted(nodes, room)).atMost(Duration.ofSeconds(5))
        .until(() -> owner.pubsubShardNumsub(channel(room)).get(channel(room)) == nodes);
  }

  /** Moves a slot (and its keys) from one master to another, as resharding does. */
  private void moveSlot(int slot, int from, int to) {
    RedisCommands<String, String> source = redis.master(from);
    RedisCommands<String, String> target = redis.master(to);
    String sourceId = source.clusterMyId();
    String targetId = target.clusterMyId();
    target.clusterSetSlotImporting(slot, sourceId);
    source.clusterSetSlotMigrating(slot, targetId);
    List<String> keys;
    while (!(keys = source.clusterGetKeysInSlot(slot, 100)).isEmpty()) {
      source.migrate("127.0.0.1", redis.port(to), 0, 5000, MigrateArgs.Builder.keys(keys));
    }
    target.clusterSetSlotNode(slot, targetId);
    source.clusterSetSlotNode(slot, targetId);
    for (int i = 0; i < redis.size(); i++) {
      if (i != from && i != to) {
        redis.master(i).clusterSetSlotNode(slot, targetId);
      }
    }
  }

  /** Rooms named {@code prefix-n}, one whose channel lives on each master. */
  private List<String> roomsOnEveryShard(String prefix) {
    String[] byMaster = new String[redis.size()];
    for (int n = 0; Arrays.stream(byMaster).anyMatch(room -> room == null); n++) {
      String room = prefix + "-" + n;
      int owner = redis.ownerOf(slot(room));
      if (byMaster[owner] == null) {
        byMaster[owner] = room;
      }
    }
    return List.of(byMaster);
  }

  /** {@code count} rooms named {@code prefix-n} whose channels have different slots, all on one master. */
  private List<String> roomsOnOneMaster(String prefix, int master, int count) {
    List<String> rooms = new ArrayList<>();
    Set<Integer> slots = new HashSet<>();
    for (int n = 0; rooms.size() < count; n++) {
      String room = prefix + "-" + n;
      if (redis.ownerOf(slot(room)) == master && slots.add(slot(room))) {
        rooms.add(room);
      }
    }
    return rooms;
  }

  /** The channel of a room of the main namespace, hash-tagged like the room's keys. */
  private static String channel(String room) {
    return "sb:r:{1:/" + room + "}";
  }

  private static int slot(String room) {
    return SlotHash.getSlot(channel(room));
  }

  private static void record(Socket socket, long[] latencies, CountDownLatch done) {
    socket.on("t", args -> {
      latencies[((Number) args[0]).intValue()] = System.nanoTime() - ((Number) args[1]).longValue();
      done.countDown();
    });
  }

  private static double ms(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }
}
