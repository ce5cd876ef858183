package dev.switchboard.server.cluster;

import static dev.switchboard.server.cluster.Clients.call;
import static dev.switchboard.server.cluster.Clients.inbox;
import static dev.switchboard.server.cluster.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.SseReader;
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

  private AutoCloseable redis;
  private final List<SwitchboardApp> nodes = new ArrayList<>();
  private final Clients clients = new Clients();

  @AfterEach
  void stop() throws Exception {
    try {
      clients.close();
      nodes.forEach(SwitchboardApp::close);
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  @Test
  void onOneRedisEveryNodeSeesThePositionOfTheStreamEntry() throws Exception {
    RedisProcess process = RedisProcess.start();
    redis = process;
    positionsAgreeAcrossNodes(process.uri());
  }

  @Test
  void onARedisClusterEveryNodeSeesThePositionOfTheStreamEntry() throws Exception {
    RedisClusterProcesses cluster = RedisClusterProcesses.start(3);
    redis = cluster;
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
        assertThat(stream.next(WAIT).id().split(",")).contains("lobby@" + position);
      }
      JSONObject history = call(bob, "history", new JSONObject().put("room", "lobby").put("since", positions.get(0)));
      JSONArray messages = history.getJSONArray("messages");
      assertThat(messages.length()).isEqualTo(2);
      assertThat(messages.getJSONObject(0).getString("position")).isEqualTo(positions.get(1));
      assertThat(messages.getJSONObject(1).getString("position")).isEqualTo(positions.get(2));
    }
  }

  private static long offset(String position) {
    return Long.parseLong(position.substring(position.lastIndexOf(':') + 1));
  }
}
