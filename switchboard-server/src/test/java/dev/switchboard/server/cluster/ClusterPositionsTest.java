package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.join;
import static dev.switchboard.server.StandaloneClients.publishNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.SseReader;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On a cluster a kept message's position is the one its Redis stream entry got: the publisher's
 * answer, the members' {@code meta.position} on every node, SSE ids and history all name it.
 */
class ClusterPositionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Nodes nodes = new Nodes();
  private final Clients clients = new Clients();

  @AfterEach
  void stop() throws Exception {
    try {
      clients.close();
    } finally {
      nodes.close();
    }
  }

  @Test
  void onOneRedisEveryNodeSeesThePositionOfTheStreamEntry() throws Exception {
    RedisProcess process = nodes.redis(RedisProcess.start());
    positionsAgreeAcrossNodes(process.uri());
  }

  @Test
  void onARedisClusterEveryNodeSeesThePositionOfTheStreamEntry() throws Exception {
    RedisClusterProcesses cluster = nodes.redis(RedisClusterProcesses.start(3));
    positionsAgreeAcrossNodes(cluster.uri());
  }

  private void positionsAgreeAcrossNodes(String redisUri) throws Exception {
    SwitchboardApp nodeA = ClusterTest.node(redisUri, Map.of());
    nodes.add(nodeA);
    SwitchboardApp nodeB = ClusterTest.node(redisUri, Map.of());
    nodes.add(nodeB);
    Socket alice = clients.connect(nodeA.port(), "alice");
    Socket bob = clients.connect(nodeB.port(), "bob");
    Socket carol = clients.connect(nodeA.port(), "carol");
    BlockingQueue<Object[]> bobInbox = inbox(bob, "chat");
    BlockingQueue<Object[]> carolInbox = inbox(carol, "chat");
    join(alice, "lobby");
    join(bob, "lobby");
    join(carol, "lobby");
    try (SseReader stream = SseReader.open(nodeB.port(), "/sse?rooms=lobby",
        Map.of("Authorization", "Bearer " + Clients.token("dave")))) {
      assertThat(stream.status()).isEqualTo(200);
      await().atMost(WAIT).until(() -> nodeB.io().localRoomSizes().join().getOrDefault("lobby", 0) == 2);
      List<String> positions = new ArrayList<>();
      for (int n = 1; n <= 3; n++) {
        JSONObject answer = call(alice, "room:publish", new JSONObject().put("room", "lobby").put("event", "chat")
            .put("data", new JSONObject().put("n", n)));
        assertThat(answer.getBoolean("ok")).as(answer.toString()).isTrue();
        String position = answer.getString("position");
        positions.add(position);
        if (n > 1) {
          String previous = positions.get(n - 2);
          assertThat(position).as("one epoch, offsets one apart")
              .isEqualTo(previous.substring(0, previous.lastIndexOf(':') + 1) + (offset(previous) + 1));
        }
        for (BlockingQueue<Object[]> inbox : List.of(bobInbox, carolInbox)) {
          Object[] received = inbox.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
          assertThat(received).isNotNull();
          assertThat(((JSONObject) received[1]).getString("position")).isEqualTo(position);
        }
        // An authenticated stream follows its user's room too: one cursor per room.
        assertThat(nextChat(stream).id().split(",")).contains("lobby@" + position);
      }
      JSONObject history = call(bob, "history", new JSONObject().put("room", "lobby").put("since", positions.get(0)));
      JSONArray messages = history.getJSONArray("messages");
      assertThat(messages.length()).isEqualTo(2);
      assertThat(messages.getJSONObject(0).getString("position")).isEqualTo(positions.get(1));
      assertThat(messages.getJSONObject(1).getString("position")).isEqualTo(positions.get(2));
    }
  }

  @Test
  void onOneNodeARecoveredSocketGetsWhatItMissedWithItsPositions() throws Exception {
    SwitchboardApp node = TestApps.start(Map.of("demo", "false", "jwt-secret", Clients.SECRET));
    nodes.add(node);
    // On one node the session is kept before the socket is removed.
    replaysCarryPositions(node, node, pid -> { });
  }

  @Test
  void onOneRedisARecoveredSocketGetsWhatItMissedWithItsPositions() throws Exception {
    RedisProcess process = nodes.redis(RedisProcess.start());
    SwitchboardApp nodeA = ClusterTest.node(process.uri(), Map.of());
    nodes.add(nodeA);
    SwitchboardApp nodeB = ClusterTest.node(process.uri(), Map.of());
    nodes.add(nodeB);
    io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(process.uri());
    try (var commands = client.connect()) {
      replaysCarryPositions(nodeA, nodeB,
          pid -> await().atMost(WAIT).until(() -> commands.sync().exists("sb:cs:{/}:" + pid) == 1L));
    } finally {
      client.shutdown();
    }
  }

  @Test
  void onARedisClusterARecoveredSocketGetsWhatItMissedWithItsPositions() throws Exception {
    RedisClusterProcesses cluster = nodes.redis(RedisClusterProcesses.start(3));
    SwitchboardApp nodeA = ClusterTest.node(cluster.uri(), Map.of());
    nodes.add(nodeA);
    SwitchboardApp nodeB = ClusterTest.node(cluster.uri(), Map.of());
    nodes.add(nodeB);
    replaysCarryPositions(nodeA, nodeB, pid -> {
      String key = "sb:ds:{1:/" + pid + "}";
      int owner = cluster.ownerOf(io.lettuce.core.cluster.SlotHash.getSlot(key));
      await().atMost(WAIT).until(() -> cluster.master(owner).exists(key) == 1L);
    });
  }

  /**
   * Erin, on {@code first} through a proxy, loses her connection, misses two messages and recovers
   * on {@code second}: the replayed messages carry the positions their publisher was answered.
   */
  private void replaysCarryPositions(SwitchboardApp first, SwitchboardApp second,
      java.util.function.Consumer<String> awaitKept) throws Exception {
    Socket alice = clients.connect(second.port(), "alice");
    join(alice, "lobby");
    try (ConnectionProxy toFirst = ConnectionProxy.roundRobin(first.port())) {
      RecordingClient erin = RecordingClient.connect(toFirst.port(), Map.of("token", Clients.token("erin")));
      join(erin.socket, "lobby");
      String live = publish(alice, 1);
      JSONObject meta = erin.nextMeta();
      assertThat(meta.getString("position")).isEqualTo(live);
      String pid = erin.pid;
      String offset = erin.offset;
      String sid = erin.socket.id();
      toFirst.close();
      erin.socket.close();
      await().atMost(WAIT).until(() -> !first.io().sockets().containsKey(sid));
      awaitKept.accept(pid);

      List<String> missed = List.of(publish(alice, 2), publish(alice, 3));
      RecordingClient back = RecordingClient.connect(second.port(),
          Map.of("token", Clients.token("erin"), "pid", pid, "offset", offset));
      try {
        assertThat(back.socket.id()).as("recovered").isEqualTo(sid);
        assertThat(List.of(back.nextMeta().getString("position"), back.nextMeta().getString("position")))
            .isEqualTo(missed);
      } finally {
        back.socket.close();
      }
    }
  }

  private static String publish(Socket socket, int n) throws Exception {
    return publishNumber(socket, "lobby", n).getString("position");
  }

  /** The official Java client keeping its session's pid and last offset, as the Node client does to recover. */
  private static final class RecordingClient {
    final Socket socket;
    final BlockingQueue<JSONObject> metas = new java.util.concurrent.LinkedBlockingQueue<>();
    volatile String pid;
    volatile String offset;

    private RecordingClient(Socket socket) {
      this.socket = socket;
    }

    static RecordingClient connect(int port, Map<String, String> auth) {
      io.socket.client.IO.Options options = io.socket.client.IO.Options.builder().setForceNew(true)
          .setReconnection(false).setTransports(new String[] {"websocket"}).setAuth(auth).build();
      RecordingClient client = new RecordingClient(io.socket.client.IO.socket(
          java.net.URI.create("http://127.0.0.1:" + port), options));
      client.socket.io().on(io.socket.client.Manager.EVENT_PACKET, args -> {
        if (args[0] instanceof io.socket.parser.Packet<?> packet && packet.type == io.socket.parser.Parser.CONNECT
            && packet.data instanceof JSONObject data && data.has("pid")) {
          client.pid = data.optString("pid");
        }
      });
      client.socket.on("chat", args -> {
        client.offset = (String) args[args.length - 1];
        client.metas.add((JSONObject) args[1]);
      });
      java.util.concurrent.CompletableFuture<Void> connected = new java.util.concurrent.CompletableFuture<>();
      client.socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
      client.socket.connect();
      connected.orTimeout(5, TimeUnit.SECONDS).join();
      return client;
    }

    JSONObject nextMeta() throws InterruptedException {
      JSONObject meta = metas.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(meta).as("a chat event").isNotNull();
      return meta;
    }
  }

  /** The next chat event of {@code stream}; presence notices share the stream. */
  private static SseReader.Event nextChat(SseReader stream) throws InterruptedException {
    SseReader.Event event = stream.next(WAIT);
    while (!"chat".equals(event.event())) {
      event = stream.next(WAIT);
    }
    return event;
  }

  private static long offset(String position) {
    return Long.parseLong(position.substring(position.lastIndexOf(':') + 1));
  }
}
