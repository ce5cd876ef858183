package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stopping node hands a connection over for recovery elsewhere: its member stays present for the
 * hand-over hold, well past the entry ttl that a dead node's entries get, so that a client coming
 * back through its reconnection backoff is found present and never announced gone.
 */
class PresenceHandOverTest {
  private static final Duration REFRESH = Duration.ofMillis(250);
  private static final Duration TTL = Duration.ofSeconds(1);
  private static final Duration HOLD = Duration.ofSeconds(6);
  private static final PresenceMember ADA = new PresenceMember("ada", Map.of());
  private static final PresenceMember BOB = new PresenceMember("bob", Map.of());

  @Test
  void aHandedOverMemberStaysPresentForTheHoldThenLeavesOnce() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        RedisCluster stopping = node(redis);
        RedisCluster staying = node(redis)) {
      List<String> expired = listen(staying.presence("/"));
      assertThat(stopping.presence("/").addAsync("doc", ADA, "c1").get(5, TimeUnit.SECONDS)).isTrue();
      // A member on the staying node, so that its sweeps look at the room.
      staying.presence("/").addAsync("doc", BOB, "c2").get(5, TimeUnit.SECONDS);

      long handedOver = System.nanoTime();
      assertThat(stopping.presence("/").handOverAsync("doc", "c1").get(5, TimeUnit.SECONDS)).isEmpty();
      // Four entry ttls, in which a dead node's entry would be gone.
      await().during(TTL.multipliedBy(4)).atMost(TTL.multipliedBy(6)).untilAsserted(() -> {
        assertThat(expired).isEmpty();
        assertThat(ids(staying)).containsExactlyInAnyOrder("ada", "bob");
      });

      await().atMost(HOLD.plus(REFRESH.multipliedBy(4))).until(() -> !expired.isEmpty());
      long leftAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - handedOver);
      assertThat(leftAfter).as("gone once the hold is over").isGreaterThanOrEqualTo(HOLD.toMillis());
      assertThat(ids(staying)).containsExactly("bob");
      await().during(REFRESH.multipliedBy(3)).atMost(REFRESH.multipliedBy(4)).until(() -> expired.size() == 1);
      assertThat(expired).as("announced once").containsExactly("ada");
    }
  }

  @Test
  void aMemberTakenBackWithinTheHoldNeverLeaves() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        RedisCluster stopping = node(redis);
        RedisCluster taking = node(redis)) {
      List<String> expired = listen(taking.presence("/"));
      assertThat(stopping.presence("/").addAsync("doc", ADA, "c1").get(5, TimeUnit.SECONDS)).isTrue();
      stopping.presence("/").handOverAsync("doc", "c1").get(5, TimeUnit.SECONDS);
      // Back after several entry ttls, as a client retrying through its backoff would be.
      await().during(TTL.multipliedBy(3)).atMost(TTL.multipliedBy(4)).until(() -> ids(taking).contains("ada"));
      assertThat(taking.presence("/").addAsync("doc", ADA, "c1").get(5, TimeUnit.SECONDS))
          .as("found present: no presence:join to announce").isFalse();

      await().during(HOLD.plus(TTL)).atMost(HOLD.plus(TTL.multipliedBy(2)))
          .until(() -> expired.isEmpty() && ids(taking).equals(List.of("ada")));
    }
  }

  @Test
  void aHandOverNeverShortensAnEntry() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        RedisCluster stopping = RedisCluster.connect(RedisOptions.of(redis.uri()).withTimings(REFRESH, TTL)
            .withHandOverHold(Duration.ZERO));
        RedisCluster staying = node(redis)) {
      List<String> expired = listen(staying.presence("/"));
      stopping.presence("/").addAsync("doc", ADA, "c1").get(5, TimeUnit.SECONDS);
      staying.presence("/").addAsync("doc", BOB, "c2").get(5, TimeUnit.SECONDS);
      long handedOver = System.nanoTime();
      stopping.presence("/").handOverAsync("doc", "c1").get(5, TimeUnit.SECONDS);
      assertThat(ids(staying)).as("a hold of zero leaves the entry its ttl").containsExactlyInAnyOrder("ada", "bob");
      await().atMost(TTL.plus(REFRESH.multipliedBy(4))).until(() -> !expired.isEmpty());
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - handedOver)).isLessThan(HOLD.toMillis());
    }
  }

  private static RedisCluster node(RedisProcess redis) {
    return RedisCluster.connect(RedisOptions.of(redis.uri()).withTimings(REFRESH, TTL).withHandOverHold(HOLD));
  }

  private static List<String> listen(PresenceStore store) {
    List<String> expired = new CopyOnWriteArrayList<>();
    store.onExpired((room, member) -> expired.add(member.id()));
    return expired;
  }

  private static List<String> ids(RedisCluster node) throws Exception {
    return node.presence("/").membersAsync("doc").get(5, TimeUnit.SECONDS).stream().map(PresenceMember::id).toList();
  }
}
