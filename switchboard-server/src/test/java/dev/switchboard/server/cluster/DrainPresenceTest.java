package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.redis.RedisOptions;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.socketio.DrainReport;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * A draining node keeps its connections for recovery on another node and hands their presence
 * over rather than announcing that they left: a member who comes back within the hand-over hold
 * ({@link RedisOptions#DEFAULT_HAND_OVER_HOLD}) never left. One who does not come back (this
 * official Java client reconnects to the draining node only, which refuses it) leaves once the
 * hold is over, announced once.
 */
class DrainPresenceTest {
  private static final Duration HOLD = RedisOptions.DEFAULT_HAND_OVER_HOLD;

  @Test
  void aDrainedMemberIsNotAnnouncedGoneAtOnceAndLeavesOnceWhenTheyDoNotComeBack() throws Exception {
    Map<String, String> drain = Map.of("drain-window", "0s", "drain-timeout", "10s");
    try (RedisProcess redis = RedisProcess.start();
        Clients clients = new Clients();
        SwitchboardApp stays = ClusterTest.node(redis.uri(), drain);
        SwitchboardApp drains = ClusterTest.node(redis.uri(), drain)) {
      Socket alice = clients.connect(stays.port(), "alice");
      BlockingQueue<Object[]> joins = inbox(alice, "presence:join");
      BlockingQueue<Object[]> leaves = inbox(alice, "presence:leave");
      join(alice, "doc");
      join(clients.connect(drains.port(), "bob"), "doc");
      Object[] joined = joins.poll(5, TimeUnit.SECONDS);
      assertThat(joined).as("bob's presence:join").isNotNull();
      assertThat(memberId(joined)).isEqualTo("bob");

      long started = System.nanoTime();
      DrainReport report = drains.drain().toCompletableFuture().get(15, TimeUnit.SECONDS);
      assertThat(report.connections()).isEqualTo(1);
      assertThat(leaves.poll(1500, TimeUnit.MILLISECONDS)).as("presence:leave right after the drain").isNull();
      assertThat(presence(alice)).as("bob is still present: he may come back elsewhere").contains("bob");
      // Held from the hand-over, which came after the drain started: past the entry ttl (6 s) too.
      long held = HOLD.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) - 500;
      assertThat(leaves.poll(held, TimeUnit.MILLISECONDS)).as("presence:leave within the hand-over hold").isNull();
      assertThat(presence(alice)).as("bob is still present near the end of the hold").contains("bob");

      Object[] left = leaves.poll(10, TimeUnit.SECONDS);
      long leftAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
      assertThat(left).as("presence:leave once bob's entry expired").isNotNull();
      assertThat(memberId(left)).isEqualTo("bob");
      System.out.println("presence:leave of a drained member who did not come back, " + leftAfterMs + " ms after the drain started");
      assertThat(leftAfterMs).as("announced after the hold").isGreaterThanOrEqualTo(HOLD.toMillis());
      assertThat(presence(alice)).containsExactly("alice");
      assertThat(leaves.poll(500, TimeUnit.MILLISECONDS)).as("the leave announced once").isNull();
      assertThat(joins.poll(0, TimeUnit.MILLISECONDS)).as("no presence:join again").isNull();
    }
  }

  private static String memberId(Object[] event) throws Exception {
    return ((JSONObject) event[0]).getJSONObject("member").getString("id");
  }

  private static Set<String> presence(Socket socket) throws Exception {
    JSONArray members = call(socket, "presence:list", new JSONObject().put("room", "doc")).getJSONArray("members");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < members.length(); i++) {
      ids.add(members.getJSONObject(i).getString("id"));
    }
    return ids;
  }
}
