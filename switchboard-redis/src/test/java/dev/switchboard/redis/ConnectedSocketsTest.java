package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.redis.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node keeps its connected sockets' state in its own Redis hash as it changes: many changes in
 * few writes, and a socket that leaves for good is forgotten (one whose connection is lost is
 * kept at disconnection as before: {@code FailoverRecoveryTest} and the other recovery tests).
 */
class ConnectedSocketsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** Recovery without presence or history, so that the node's only HSET is its sockets' state. */
  private static final SocketIoOptions RECOVERY_ONLY = SocketIoOptions.builder()
      .connectionStateRecovery(new ConnectionStateRecovery(Duration.ofMinutes(2), false, 16 << 20))
      .build();
  private static final int CLIENTS = 50;
  private static final int ROOMS = 4;

  private RedisProcess redis;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisCommands<String, String> commands;
  private TestNode node;
  private final Clients clients = new Clients();

  @BeforeEach
  void start() throws Exception {
    redis = RedisProcess.start();
    client = RedisClient.create(redis.uri());
    connection = client.connect();
    commands = connection.sync();
    node = TestNode.clustered(redis.uri(), RECOVERY_ONLY);
  }

  @AfterEach
  void stop() {
    clients.close();
    node.close();
    connection.close();
    client.shutdown();
    redis.close();
  }

  @Test
  void manyChangesOfManySocketsTakeFewWrites() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      sockets.add(clients.connect(node.port(), "user" + i));
    }
    long writesBefore = hsetCalls();
    // Every join sent at once, as a burst of changes.
    List<java.util.concurrent.CompletableFuture<Object[]>> answers = new ArrayList<>();
    for (Socket socket : sockets) {
      for (int r = 0; r < ROOMS; r++) {
        java.util.concurrent.CompletableFuture<Object[]> answer = new java.util.concurrent.CompletableFuture<>();
        socket.emit("room:join", new Object[] {new JSONObject().put("room", "room-" + r)},
            args -> answer.complete(args));
        answers.add(answer.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS));
      }
    }
    answers.forEach(java.util.concurrent.CompletableFuture::join);
    String hash = "sb:live:{" + node.cluster().orElseThrow().nodeId() + "}";
    await().atMost(WAIT).until(() -> {
      Map<String, String> kept = commands.hgetall(hash);
      return kept.size() == CLIENTS && kept.values().stream().allMatch(json -> json.contains("\"room-" + (ROOMS - 1) + "\""));
    });
    long writes = hsetCalls() - writesBefore;
    int changes = CLIENTS * ROOMS;
    System.out.println(changes + " changes of " + CLIENTS + " sockets written in " + writes + " writes");
    assertThat(writes).as("writes for %d changes", changes).isLessThanOrEqualTo(changes / 10);
    assertThat(commands.pttl(hash)).as("the hash expires on its own").isPositive();
  }

  @Test
  void aSocketThatLeavesForGoodIsForgotten() throws Exception {
    Socket leaving = clients.connect(node.port(), "leaving");
    Socket staying = clients.connect(node.port(), "staying");
    Clients.join(leaving, "room");
    Clients.join(staying, "room");
    String hash = "sb:live:{" + node.cluster().orElseThrow().nodeId() + "}";
    await().atMost(WAIT).until(() -> commands.hlen(hash) == 2);
    String leavingSid = leaving.id();

    leaving.disconnect();
    await().atMost(WAIT).until(() -> commands.hlen(hash) == 1);
    assertThat(commands.hvals(hash)).noneMatch(json -> json.contains(leavingSid));
    assertThat(commands.keys("sb:cs:{/}:*")).as("nothing kept for a socket that left for good").isEmpty();
  }

  @Test
  void aChangeOfDataAloneIsWrittenToo() throws Exception {
    Socket socket = clients.connect(node.port(), "writer");
    Clients.join(socket, "room");
    String hash = "sb:live:{" + node.cluster().orElseThrow().nodeId() + "}";
    await().atMost(WAIT).until(() -> commands.hlen(hash) == 1);
    assertThat(commands.hvals(hash).get(0)).doesNotContain("draft");

    for (int i = 1; i <= 3; i++) {
      String value = "draft " + i;
      JavaClients.emitWithAck(socket, WAIT, "data:set", new JSONObject().put("key", "status").put("value", value));
      await().atMost(WAIT).until(() -> commands.hvals(hash).get(0).contains("\"status\":\"" + value + "\""));
    }
    assertThat(commands.hvals(hash).get(0)).as("the rooms are kept with the data").contains("\"room\"");
  }

  private long hsetCalls() {
    for (String line : commands.info("commandstats").split("\r?\n")) {
      if (line.startsWith("cmdstat_hset:")) {
        int from = line.indexOf("calls=") + "calls=".length();
        return Long.parseLong(line.substring(from, line.indexOf(',', from)));
      }
    }
    return 0;
  }
}
