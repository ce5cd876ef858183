package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.testkit.redis.RedisProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A node's Redis meters follow a real Redis going away and coming back. */
class RedisMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void shouldTimeCommandsAndReportAnOutageUntilRedisIsBack() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      RedisCluster cluster = RedisCluster.connect(RedisOptions.of(redis.uri()).withCommandTimeout(Duration.ofSeconds(1)));
      try {
        cluster.bindTo(registry);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          cluster.adapter().publish(broadcast());
          assertThat(registry.get("switchboard.redis.commands").timer().count()).isPositive();
        });
        assertThat(registry.get("switchboard.redis.down").gauge().value()).isZero();
        assertThat(registry.get("switchboard.redis.errors").functionCounter().count()).isZero();

        redis.kill();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          cluster.adapter().publish(broadcast());
          assertThat(registry.get("switchboard.redis.down").gauge().value()).isEqualTo(1);
        });
        assertThat(registry.get("switchboard.redis.errors").functionCounter().count()).isPositive();
        assertThat(registry.get("switchboard.redis.outages").functionCounter().count()).isEqualTo(1);

        redis.startAgain();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
          cluster.adapter().publish(broadcast());
          assertThat(registry.get("switchboard.redis.down").gauge().value()).isZero();
        });
      } finally {
        cluster.close();
      }
      assertThat(registry.getMeters()).as("the meters leave with the cluster").isEmpty();
    }
  }

  private static ClusterBroadcast broadcast() {
    byte[] args = "[\"tick\"]".getBytes(StandardCharsets.UTF_8);
    return new ClusterBroadcast("/", "tick", args, List.of(), List.of("lobby"), Set.of(), false, false);
  }
}
