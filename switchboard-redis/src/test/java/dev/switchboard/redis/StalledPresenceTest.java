package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Presence writes that wait in a hung Redis (or in a cut network link) run when it wakes up, long
 * after their node handled them without an answer. They must change nothing then: a removal would
 * take the member out unannounced, as its answer goes nowhere; left in place, the entry expires
 * and a sweep announces the leave. Another node, which never noticed the stall, reads presence.
 */
class StalledPresenceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @Test
  void aRemovalThatWaitedInAHungRedisDoesNotTakeTheMemberOutWhenItWakesUp() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        RedisCluster node = RedisCluster.connect(RedisOptions.of(redis.uri()).withTimings(Duration.ofSeconds(2), Duration.ofSeconds(20)).withCommandTimeout(TIMEOUT));
        RedisCluster other = RedisCluster.connect(RedisOptions.of(redis.uri()).withTimings(Duration.ofSeconds(2), Duration.ofSeconds(20)).withCommandTimeout(TIMEOUT))) {
      PresenceStore presence = node.presence("/");
      PresenceMember ada = new PresenceMember("ada", Map.of());
      assertThat(presence.addAsync("doc", ada, "c1").get(5, TimeUnit.SECONDS)).isTrue();
      assertThat(ids(other)).containsExactly("ada");

      redis.pause();
      long pausedAt = System.nanoTime();
      Optional<PresenceMember> gone = presence.removeAsync("doc", "c1").get(5, TimeUnit.SECONDS);
      assertThat(gone).as("without an answer the node decides from its own connections").contains(ada);
      await().atMost(TIMEOUT.multipliedBy(3)).until(() -> node.health().down());
      // Asleep for longer than the deadline of what it holds.
      await().pollDelay(TIMEOUT.multipliedBy(2).minusNanos(System.nanoTime() - pausedAt)).until(() -> true);
      redis.resume();
      await().atMost(Duration.ofSeconds(5)).until(() -> !node.health().down() && !other.health().down());

      assertThat(ids(other)).as("the removal that waited in the hung Redis changed nothing").containsExactly("ada");
    }
  }

  private static List<String> ids(RedisCluster node) throws Exception {
    return node.presence("/").membersAsync("doc").get(5, TimeUnit.SECONDS).stream().map(PresenceMember::id).toList();
  }
}
