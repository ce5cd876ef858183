package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.redis.RedisProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.socket.client.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * Messages on the socketio-sharded wire that no Node node writes (not msgpack nor JSON, not a
 * map, fields of the wrong kind, unknown types, answers to nothing) are dropped, and the nodes
 * go on carrying broadcasts.
 */
class ShardedWireMalformedTest {
  private static final RedisWire WIRE = RedisWire.socketIoSharded("socket.io", RedisWire.SubscriptionMode.DYNAMIC);

  @Test
  void malformedMessagesAreDroppedAndTheNodesGoOn() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SocketIoWireNodeTest.Member one = SocketIoWireNodeTest.Member.start(redis.uri(), "sb1", WIRE);
        SocketIoWireNodeTest.Member two = SocketIoWireNodeTest.Member.start(redis.uri(), "sb2", WIRE);
        Clients clients = new Clients()) {
      Socket sender = clients.connect(one.server().port(), "sender");
      Socket receiver = clients.connect(two.server().port(), "receiver");
      Clients.join(receiver, "after");
      CompletableFuture<Object> got = new CompletableFuture<>();
      receiver.on("after", args -> got.complete(args[0]));

      RedisClient client = RedisClient.create(redis.uri());
      try (StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE)) {
        List<String> garbage = List.of("{not json", "[1,2]", "{\"type\":3,\"uid\":\"x\",\"nsp\":\"/\",\"data\":{\"packet\":5}}",
            "{\"type\":3,\"uid\":\"x\",\"nsp\":\"/\",\"data\":{\"packet\":{\"type\":2,\"data\":[7]},\"opts\":{}}}",
            "{\"type\":9,\"uid\":\"x\",\"nsp\":\"/\",\"data\":{\"packet\":\"tell\"}}",
            "{\"type\":8,\"uid\":\"x\",\"nsp\":\"/\",\"data\":{\"requestId\":\"nobody\",\"sockets\":[1]}}",
            "{\"type\":77,\"uid\":\"x\",\"nsp\":\"/\",\"data\":{}}");
        for (String channel : List.of("socket.io#/#", "socket.io#/#after#")) {
          connection.sync().spublish(bytes(channel), new byte[] {(byte) 0xc1, 0x00});
          for (String message : garbage) {
            assertThat(connection.sync().spublish(bytes(channel), bytes(message))).isEqualTo(channel.endsWith("after#") ? 1 : 2);
          }
        }
      } finally {
        client.shutdown();
      }

      JavaClients.emitWithAck(sender, Duration.ofSeconds(5), "do:emit",
          new JSONObject().put("to", new org.json.JSONArray().put("after")).put("event", "after").put("args",
              new org.json.JSONArray().put("still here")));
      assertThat(got.get(5, TimeUnit.SECONDS)).isEqualTo("still here");
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
