package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.redis.RedisClusterProcesses;
import dev.switchboard.testkit.redis.RedisProcess;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A hash two nodes share: what one writes the other reads; it expires after its last change. */
class SharedHashTest {
  @Test
  void twoNodesShareTheHashOnOneRedis() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      share(redis.uri());
      assertThat(ttlMillis(redis.port(), "sb:h:{call:expiring}")).isBetween(1L, 60_000L);
    }
  }

  @Test
  void twoNodesShareTheHashOnARedisCluster() throws Exception {
    try (RedisClusterProcesses redis = RedisClusterProcesses.start(3)) {
      share(redis.uri());
    }
  }

  private static void share(String uri) {
    try (RedisCluster a = RedisCluster.connect(RedisOptions.of(uri)); RedisCluster b = RedisCluster.connect(RedisOptions.of(uri))) {
      SharedHash onA = a.hash("call:1", Duration.ofMinutes(1));
      SharedHash onB = b.hash("call:1", Duration.ofMinutes(1));
      assertThat(onB.entries().join()).isEmpty();
      onA.put("a:ada", "1").join();
      onA.put("recording", "ada").join();
      assertThat(onB.entries().join()).isEqualTo(Map.of("a:ada", "1", "recording", "ada"));
      onB.remove("recording", "a:nobody").join();
      assertThat(onA.entries().join()).isEqualTo(Map.of("a:ada", "1"));
      assertThat(a.hash("call:2", Duration.ofMinutes(1)).entries().join()).as("another name, another hash").isEmpty();
      a.hash("call:expiring", Duration.ofMinutes(1)).put("f", "v").join();
    }
  }

  /** The key's remaining time to live in ms, by PTTL over a plain socket. */
  private static long ttlMillis(int port, String key) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(2000);
      String command = "*2\r\n$4\r\nPTTL\r\n$" + key.getBytes(StandardCharsets.UTF_8).length + "\r\n" + key + "\r\n";
      socket.getOutputStream().write(command.getBytes(StandardCharsets.UTF_8));
      byte[] answer = new byte[64];
      int read = socket.getInputStream().read(answer);
      String reply = new String(answer, 0, read, StandardCharsets.US_ASCII).trim();
      assertThat(reply).startsWith(":");
      return Long.parseLong(reply.substring(1));
    }
  }
}
