package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.assertPublished;
import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.join;
import static dev.switchboard.server.StandaloneClients.publication;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * A publish resent with the same {@code id} to another node (what a client's offline queue does
 * after it reconnects elsewhere) is recognised there: acknowledged as a duplicate, delivered once.
 * On one Redis and on a Redis Cluster.
 */
class SharedDedupeTest {
  @Test
  void aResendToAnotherNodeOnOneRedisIsDeliveredOnce() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      resendToTheOtherNode(redis.uri());
    }
  }

  @Test
  void aResendToAnotherNodeOnARedisClusterIsDeliveredOnce() throws Exception {
    try (RedisClusterProcesses redis = RedisClusterProcesses.start(3)) {
      resendToTheOtherNode(redis.uri());
    }
  }

  private static void resendToTheOtherNode(String redisUri) throws Exception {
    try (Clients clients = new Clients();
        SwitchboardApp nodeA = ClusterTest.node(redisUri, Map.of());
        SwitchboardApp nodeB = ClusterTest.node(redisUri, Map.of())) {
      Socket reader = clients.connect(nodeB.port(), "reader");
      join(reader, "orders");
      BlockingQueue<Object[]> received = inbox(reader, "chat");

      Socket first = clients.connect(nodeA.port(), "writer");
      join(first, "orders");
      assertThat(publish(first, "m-1", 1).has("duplicate")).isFalse();
      first.close();

      Socket resent = clients.connect(nodeB.port(), "writer");
      join(resent, "orders");
      JSONObject again = publish(resent, "m-1", 1);
      assertThat(again.getBoolean("ok")).isTrue();
      assertThat(again.optBoolean("duplicate")).as("the resend on the other node: %s", again).isTrue();
      // Another id, from the other node back on the first, still goes out.
      Socket back = clients.connect(nodeA.port(), "writer");
      join(back, "orders");
      assertThat(publish(back, "m-2", 2).has("duplicate")).isFalse();
      assertThat(publish(back, "m-2", 2).optBoolean("duplicate")).isTrue();

      assertThat(number(received.poll(10, TimeUnit.SECONDS))).isEqualTo(1);
      assertThat(number(received.poll(10, TimeUnit.SECONDS))).as("m-1 arrives once; m-2 next").isEqualTo(2);
      assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("nothing twice").isNull();
    }
  }

  private static JSONObject publish(Socket socket, String id, int n) throws Exception {
    return assertPublished(socket, publication("orders", "chat", new JSONObject().put("n", n)).put("id", id));
  }

  private static int number(Object[] event) throws Exception {
    assertThat(event).as("a chat event").isNotNull();
    return ((JSONObject) event[0]).getInt("n");
  }
}
