package dev.switchboard.server.cluster;

import dev.switchboard.server.SwitchboardApp;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

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
    SwitchboardApp node = ClusterTest.node(redis.uri(), BUDGETS);
    nodes.add(node);
    return node;
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
