package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.redis.RedisProcess;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * A node killed with SIGKILL keeps nothing at disconnection: its clients recover on another node
 * from the state it kept in Redis while they were connected. The client (the official Java
 * client, recovering as the Node client does: {@link RecoveringClient}) reaches the doomed node
 * through a proxy, which then sends it to the survivor, where its rooms get messages while it is
 * away. Repeated: each kill a new process.
 */
class NodeKillRecoveryTest {
  /** Kills per run; {@code -Dswitchboard.kill.repeats} changes it. */
  private static final int REPEATS = Integer.getInteger("switchboard.kill.repeats", 5);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Map<String, String> NODE_SETTINGS = Map.of(
      "max-connections-per-user", "0", "event-rate", "0", "user-event-rate", "0");

  @Test
  void clientsOfAKilledNodeRecoverOnAnotherWithEveryMissedMessageOnce() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        RedisState state = new RedisState(redis.uri())) {
      killRepeatedly(redis.uri(), state, REPEATS, true);
    }
  }

  /** On a Redis Cluster, where what a socket missed is read from the streams of its rooms: once. */
  @Test
  void clientsOfAKilledNodeRecoverOnARedisCluster() throws Exception {
    try (RedisClusterProcesses redis = RedisClusterProcesses.start(3);
        RedisState state = new RedisState(redis)) {
      killRepeatedly(redis.uri(), state, 1, false);
    }
  }

  private static void killRepeatedly(String redisUri, RedisState state, int repeats, boolean oneStream)
      throws Exception {
    try (SwitchboardApp survivor = ClusterTest.node(redisUri, NODE_SETTINGS);
        ConnectionProxy proxy = ConnectionProxy.following(survivor.port())) {
      // Each doomed node starts while the one before serves its kill.
      CompletableFuture<ServerProcess> next = doomed(redisUri, "2m");
      try {
        for (int kill = 0; kill < repeats; kill++) {
          ServerProcess doomed = next.join();
          next = kill + 1 < repeats ? doomed(redisUri, "2m") : null;
          try (doomed) {
            killOnce(survivor, proxy, state, doomed, kill, oneStream);
          }
        }
      } finally {
        if (next != null) {
          next.join().close();
        }
      }
    }
  }

  /**
   * One client on {@code doomed}, in two rooms (a third one left), gets a message; the node is
   * killed; its rooms get messages while it is away; it comes back on {@code survivor}.
   * {@code oneStream}: one Redis server, whose one recovery stream per namespace orders them all.
   */
  private static void killOnce(SwitchboardApp survivor, ConnectionProxy proxy, RedisState state, ServerProcess doomed,
      int kill, boolean oneStream) throws Exception {
    int base = kill * 100;
    proxy.moveTo(doomed.port());
    RecoveringClient client = RecoveringClient.connect(proxy.port(), Map.of("token", Clients.token("erin")));
    join(client.socket(), "news");
    join(client.socket(), "team");
    join(client.socket(), "left");
    assertThat(call(client.socket(), "room:leave", new JSONObject().put("room", "left")).optBoolean("ok")).isTrue();
    survivor.io().to("news").emit("chat", base);
    assertThat(client.next()).isEqualTo(base);
    String sid = client.id();
    String pid = client.pid();
    String offset = client.offset();
    await().atMost(WAIT).until(() -> state.connected(pid).filter(json -> json.contains("\"team\"")
        && !json.contains("\"left\"")).isPresent());

    doomed.kill();
    client.close();
    proxy.moveTo(survivor.port());
    survivor.io().to("news").emit("chat", base + 1);
    survivor.io().to("left").emit("chat", -1);
    survivor.io().to("team").emit("chat", base + 2);
    survivor.io().to("news", "team").emit("chat", base + 3);
    survivor.io().emit("chat", base + 4);

    RecoveringClient back = RecoveringClient.connect(proxy.port(),
        Map.of("token", Clients.token("erin"), "pid", pid, "offset", offset));
    try {
      assertThat(back.id()).as("kill %d: the same socket", kill).isEqualTo(sid);
      assertThat(back.pid()).as("kill %d: socket.recovered (the client compares pids)", kill).isEqualTo(pid);
      assertThat(survivor.io().sockets().get(sid).recovered()).isTrue();
      List<Object> missed = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        missed.add(back.next());
      }
      if (oneStream) {
        assertThat(missed).as("kill %d: what it missed, once, in order", kill)
            .containsExactly(base + 1, base + 2, base + 3, base + 4);
      } else {
        // Streams of rooms on different shards are merged by their masters' clocks.
        assertThat(missed).as("kill %d: what it missed, once", kill)
            .containsExactlyInAnyOrder(base + 1, base + 2, base + 3, base + 4);
      }
      assertThat(survivor.io().sockets().get(sid).rooms()).containsExactlyInAnyOrder(sid, "user:erin", "news", "team");
      survivor.io().to("left").emit("chat", -2);
      survivor.io().to("team").emit("chat", base + 5);
      assertThat(back.next()).as("kill %d: its rooms are back, the one it left is not", kill).isEqualTo(base + 5);
    } finally {
      back.close();
    }
  }

  @Test
  void aSocketWhoseStateExpiredStartsAfresh() throws Exception {
    Map<String, String> settings = new java.util.HashMap<>(NODE_SETTINGS);
    settings.put("max-disconnection-duration", "1s");
    try (RedisProcess redis = RedisProcess.start();
        RedisState state = new RedisState(redis.uri());
        SwitchboardApp survivor = ClusterTest.node(redis.uri(), settings);
        ServerProcess doomed = doomed(redis.uri(), "1s").join();
        ConnectionProxy proxy = ConnectionProxy.following(doomed.port())) {
      RecoveringClient client = RecoveringClient.connect(proxy.port(), Map.of("token", Clients.token("erin")));
      join(client.socket(), "news");
      survivor.io().to("news").emit("chat", 1);
      assertThat(client.next()).isEqualTo(1);
      String sid = client.id();
      String pid = client.pid();
      await().atMost(WAIT).until(() -> state.connected(pid).isPresent());
      // Longer than the window, and two heartbeats: kept while the node lives.
      long beat = state.lastHeartbeat();
      await().atMost(WAIT).until(() -> state.lastHeartbeat() > beat);
      long nextBeat = state.lastHeartbeat();
      await().atMost(WAIT).until(() -> state.lastHeartbeat() > nextBeat);
      assertThat(state.connected(pid)).as("kept while its node lives").isPresent();

      doomed.kill();
      client.close();
      await().atMost(WAIT).until(() -> state.connected(pid).isEmpty());
      proxy.moveTo(survivor.port());
      RecoveringClient back = RecoveringClient.connect(proxy.port(),
          Map.of("token", Clients.token("erin"), "pid", pid, "offset", client.offset()));
      assertThat(back.id()).isNotEqualTo(sid);
      assertThat(back.pid()).isNotEqualTo(pid);
      assertThat(survivor.io().sockets().get(back.id()).recovered()).isFalse();
      back.close();
    }
  }

  private static CompletableFuture<ServerProcess> doomed(String redisUri, String window) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return ServerProcess.startShortLived(Map.of("SWITCHBOARD_JWT_SECRET", Clients.SECRET), "--redis", redisUri,
            "--max-disconnection-duration", window, "--max-connections-per-user", "0", "--event-rate", "0",
            "--user-event-rate", "0");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** What the nodes keep in Redis of their connected sockets, read as a test. */
  private static final class RedisState implements AutoCloseable {
    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> connection;
    private final RedisClusterCommands<String, String> commands;

    RedisState(String uri) {
      RedisClient single = RedisClient.create(uri);
      StatefulRedisConnection<String, String> open = single.connect();
      client = single;
      connection = open;
      commands = open.sync();
    }

    RedisState(RedisClusterProcesses redis) {
      RedisClusterClient cluster = RedisClusterClient.create(redis.uri().replace("redis-cluster://", "redis://").split(",")[0]);
      StatefulRedisClusterConnection<String, String> open = cluster.connect();
      client = cluster;
      connection = open;
      commands = open.sync();
    }

    /** The connected state of the socket {@code pid} of the main namespace, in any node's hash. */
    Optional<String> connected(String pid) {
      for (String node : commands.zrange("sb:live-nodes", 0, -1)) {
        String json = commands.hget("sb:live:{" + node + "}", pid + " /");
        if (json != null) {
          return Optional.of(json);
        }
      }
      return Optional.empty();
    }

    /** When a node last told that it keeps its sockets. */
    long lastHeartbeat() {
      return commands.zrangeWithScores("sb:live-nodes", -1, -1).stream()
          .mapToLong(scored -> (long) scored.getScore()).max().orElse(0);
    }

    @Override
    public void close() {
      connection.close();
      client.shutdown();
    }
  }
}
