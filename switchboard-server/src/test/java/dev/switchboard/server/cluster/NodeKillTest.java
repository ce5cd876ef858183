package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** A node killed with SIGKILL leaves presence on the other node, announced, within 10 s. */
class NodeKillTest {
  @Test
  void membersOfAKilledNodeLeavePresenceWithinTenSeconds() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        Clients clients = new Clients();
        SwitchboardApp survivor = ClusterTest.node(redis.uri(), Map.of());
        ServerProcess doomed = ServerProcess.start(Map.of("SWITCHBOARD_JWT_SECRET", Clients.SECRET),
            "--redis", redis.uri())) {
      Socket alice = clients.connect(survivor.port(), "alice");
      BlockingQueue<Object[]> joins = inbox(alice, "presence:join");
      BlockingQueue<Object[]> leaves = inbox(alice, "presence:leave");
      join(alice, "doc");
      join(clients.connect(doomed.port(), "bob"), "doc");
      join(clients.connect(doomed.port(), "carol"), "doc");
      assertThat(memberIds(joins, 2)).containsExactlyInAnyOrder("bob", "carol");
      assertThat(presence(alice)).containsExactlyInAnyOrder("alice", "bob", "carol");

      long killed = System.nanoTime();
      doomed.kill();
      Set<String> gone = new HashSet<>();
      while (gone.size() < 2) {
        long left = TimeUnit.SECONDS.toNanos(10) - (System.nanoTime() - killed);
        Object[] leave = leaves.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
        assertThat(leave).as("presence:leave within 10 s of the kill (got %s)", gone).isNotNull();
        gone.add(((JSONObject) leave[0]).getJSONObject("member").getString("id"));
      }
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
      System.out.println("presence:leave of the killed node's members after " + elapsedMs + " ms");
      assertThat(gone).containsExactlyInAnyOrder("bob", "carol");
      assertThat(presence(alice)).containsExactly("alice");
      assertThat(leaves.poll(100, TimeUnit.MILLISECONDS)).as("each leave announced once").isNull();
    }
  }

  private static Set<String> memberIds(BlockingQueue<Object[]> events, int count) throws Exception {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      Object[] event = events.poll(5, TimeUnit.SECONDS);
      assertThat(event).isNotNull();
      ids.add(((JSONObject) event[0]).getJSONObject("member").getString("id"));
    }
    return ids;
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
