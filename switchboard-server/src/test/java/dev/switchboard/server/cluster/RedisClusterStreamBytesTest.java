package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link StreamBytesContract} on a Redis Cluster of three masters, where recovery is kept in one
 * stream per room: each is bounded, and one recovery reads at most the namespace's bytes over all
 * of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterStreamBytesTest extends StreamBytesContract {
  private final Nodes nodes = new Nodes();
  private RedisClusterProcesses redis;
  private SwitchboardApp node;

  @BeforeAll
  void startCluster() throws Exception {
    redis = nodes.redis(RedisClusterProcesses.start(3));
    node = nodes.add(ClusterTest.node(redis.uri(), BUDGETS));
  }

  @AfterAll
  void stopCluster() throws Exception {
    nodes.close();
  }

  @Override
  SwitchboardApp node() {
    return node;
  }

  @Override
  RedisCommands<String, String> owner(String key) {
    return redis.master(redis.ownerOf(SlotHash.getSlot(key)));
  }

  @Override
  String recoveryStream(String room) {
    return "sb:rs:{1:/" + room + "}";
  }

  @Override
  String keptSocket(String pid) {
    return "sb:ds:{1:/" + pid + "}";
  }

  @Override
  List<String> rooms(String prefix, int count) {
    List<String> rooms = new ArrayList<>();
    List<Integer> owners = new ArrayList<>();
    for (int n = 0; rooms.size() < count; n++) {
      String room = prefix + "-" + n;
      int owner = redis.ownerOf(SlotHash.getSlot("sb:r:{1:/" + room + "}"));
      if (!owners.contains(owner)) {
        owners.add(owner);
        rooms.add(room);
      }
    }
    return rooms;
  }

  @Test
  void aRecoveryThatWouldReadMoreThanTheNamespacesBytesOverSeveralShardsGetsAFreshSession() throws Exception {
    List<String> rooms = rooms("spread", 2);
    // 10 messages of 16 KB per room: each room's stream keeps them all, together they are more.
    assertThat(recoverAfter(node, rooms, 2)).as("what was missed fits the budget").isTrue();
    assertThat(recoverAfter(node, rooms, 10)).as("more than the budget over two shards").isFalse();
    for (String room : rooms) {
      assertThat(owner(recoveryStream(room)).xlen(recoveryStream(room))).isGreaterThanOrEqualTo(10);
    }
  }
}
