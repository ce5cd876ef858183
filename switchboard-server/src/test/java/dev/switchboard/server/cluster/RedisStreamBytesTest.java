package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.SseReader;
import dev.switchboard.testkit.redis.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.socket.client.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link StreamBytesContract} on one Redis server. */
class RedisStreamBytesTest extends StreamBytesContract {
  private RedisProcess redis;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private final List<SwitchboardApp> nodes = new ArrayList<>();

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisProcess.start();
    client = RedisClient.create(redis.uri());
    connection = client.connect();
  }

  @AfterEach
  void stopRedis() throws Exception {
    try {
      nodes.forEach(SwitchboardApp::close);
      connection.close();
      client.shutdown();
    } finally {
      redis.close();
    }
  }

  @Override
  SwitchboardApp node() {
    return node(BUDGETS);
  }

  private SwitchboardApp node(Map<String, String> settings) {
    SwitchboardApp node = ClusterTest.node(redis.uri(), settings);
    nodes.add(node);
    return node;
  }

  @Test
  void aNodeWithASmallerHistoryBudgetReadsOnlyTheNewestMessagesThatFitAndReportsTheRestAsAGap() throws Exception {
    SwitchboardApp writer = node(Map.of());
    SwitchboardApp reader = node();
    Socket alice = clients.connect(writer.port(), "alice");
    Socket bob = clients.connect(reader.port(), "bob");
    join(alice, "big");
    join(bob, "big");
    String first = publish(alice, "big", 1, 10).getString("position");
    for (int n = 2; n <= 10; n++) {
      publish(alice, "big", n, MESSAGE_BYTES);
    }
    JSONObject all = call(alice, "history", new JSONObject().put("room", "big").put("since", first));
    assertThat(all.getBoolean("gap")).as("the writer's budget keeps all ten").isFalse();
    assertThat(all.getJSONArray("messages").length()).isEqualTo(9);

    JSONObject since = call(bob, "history", new JSONObject().put("room", "big").put("since", first));
    assertThat(since.getBoolean("gap")).as("the reader keeps only what fits its budget").isTrue();
    JSONArray messages = since.getJSONArray("messages");
    assertThat(messages.length()).isBetween(1, (int) (HISTORY_BYTES / MESSAGE_BYTES));
    assertThat(messages.getJSONObject(messages.length() - 1).getJSONObject("data").getInt("n")).isEqualTo(10);
    try (SseReader resumed = SseReader.open(reader.port(), "/sse?rooms=big",
        Map.of("Authorization", "Bearer " + Clients.token("dave"), "Last-Event-ID", "big@" + first))) {
      assertThat(resumed.next(WAIT).event()).isEqualTo("stream:gap");
      List<SseReader.Event> replayed = resumed.next(messages.length(), WAIT);
      assertThat(replayed.get(replayed.size() - 1).data()).contains("\"n\":10");
    }
  }

  @Override
  RedisCommands<String, String> owner(String key) {
    return connection.sync();
  }

  @Override
  String recoveryStream(String room) {
    return "sb:cs:{/}";
  }

  @Override
  String keptSocket(String pid) {
    return "sb:cs:{/}:" + pid;
  }

  @Override
  List<String> rooms(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(n -> prefix + "-" + n).toList();
  }
}
