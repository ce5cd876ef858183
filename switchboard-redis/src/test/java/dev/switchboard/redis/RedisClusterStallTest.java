package dev.switchboard.redis;

import static dev.switchboard.redis.Clients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testkit.CountingInbox;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import io.lettuce.core.cluster.SlotHash;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One master of a Redis Cluster hangs (SIGSTOP, then SIGCONT): the rooms on it lose their
 * cross-node messages of the stall, the rooms on the other masters lose nothing, the publishing
 * node's members get everything once, and nobody gets anything twice.
 */
class RedisClusterStallTest {
  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration STALL = Duration.ofSeconds(3);

  @Test
  void aStalledMasterIsAnOutageOfItsRoomsOnlyAndNothingIsDeliveredTwice() throws Exception {
    ScheduledExecutorService publisher = Executors.newSingleThreadScheduledExecutor();
    // The masters take one another as failed only long after the stall, so the cluster stays up.
    try (RedisClusterProcesses redis = RedisClusterProcesses.start(3, Duration.ofSeconds(30));
        Clients clients = new Clients();
        TestNode nodeA = TestNode.clustered(redis.uri(), TestNode.STANDALONE_DEFAULTS, REDIS_TIMEOUT);
        TestNode nodeB = TestNode.clustered(redis.uri(), TestNode.STANDALONE_DEFAULTS, REDIS_TIMEOUT)) {
      String stalledRoom = roomOn(redis, 0, "stalled");
      String steadyRoom = roomOn(redis, 1, "steady");
      Socket local = clients.connect(nodeA.port(), "local");
      Socket remote = clients.connect(nodeB.port(), "remote");
      for (Socket socket : List.of(local, remote)) {
        join(socket, stalledRoom);
        join(socket, steadyRoom);
      }
      CountingInbox localStalled = new CountingInbox(local, "s");
      CountingInbox localSteady = new CountingInbox(local, "t");
      CountingInbox remoteStalled = new CountingInbox(remote, "s");
      CountingInbox remoteSteady = new CountingInbox(remote, "t");

      AtomicInteger published = new AtomicInteger();
      ConcurrentHashMap<Integer, Long> sentAt = new ConcurrentHashMap<>();
      publisher.scheduleAtFixedRate(() -> {
        int n = published.incrementAndGet();
        sentAt.put(n, System.nanoTime());
        nodeA.io().to(stalledRoom).emit("s", Map.of("n", n));
        nodeA.io().to(steadyRoom).emit("t", Map.of("n", n));
      }, 0, 20, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> remoteStalled.has(20) && remoteSteady.has(20));

      redis.pause(0);
      long pausedAt = System.nanoTime();
      int atPause = published.get();
      await().pollDelay(STALL).atMost(STALL.plusSeconds(1)).until(() -> true);
      int atResume = published.get();
      redis.resume(0);
      long resumedAt = System.nanoTime();

      await().atMost(Duration.ofSeconds(10)).until(() -> remoteStalled.firstAfter(atResume) > 0);
      int back = remoteStalled.firstAfter(atResume);
      await().atMost(Duration.ofSeconds(5)).until(() -> remoteStalled.has(back + 20));
      publisher.shutdown();
      assertThat(publisher.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
      int last = published.get();
      nodeA.io().to(stalledRoom).emit("s", Map.of("n", 0));
      nodeA.io().to(steadyRoom).emit("t", Map.of("n", 0));
      await().atMost(Duration.ofSeconds(5)).until(() -> localStalled.has(0) && localSteady.has(0)
          && remoteStalled.has(0) && remoteSteady.has(0));

      List<Integer> remoteLost = remoteStalled.missing(last);
      long slowestSteady = 0;
      for (int n = 1; n <= last; n++) {
        if (remoteSteady.has(n)) {
          slowestSteady = Math.max(slowestSteady, remoteSteady.firstAt(n) - sentAt.get(n));
        }
      }
      System.out.printf("cluster stall: %d published (%d before the pause, %d until resumed after %d ms);"
              + " stalled room: local %d missing %d twice, remote %d missing %d twice; steady room: local %d missing"
              + " %d twice, remote %d missing %d twice, slowest %d ms; lost broadcasts counted %d;"
              + " the stalled room's cross-node delivery back %d ms after SIGCONT%n",
          last, atPause, atResume, TimeUnit.NANOSECONDS.toMillis(resumedAt - pausedAt),
          localStalled.missing(last).size(), localStalled.twice().size(), remoteLost.size(), remoteStalled.twice().size(),
          localSteady.missing(last).size(), localSteady.twice().size(), remoteSteady.missing(last).size(),
          remoteSteady.twice().size(), TimeUnit.NANOSECONDS.toMillis(slowestSteady),
          nodeA.cluster().orElseThrow().health().lostBroadcasts(),
          TimeUnit.NANOSECONDS.toMillis(remoteStalled.firstAt(back) - resumedAt));

      for (CountingInbox inbox : List.of(localStalled, localSteady, remoteStalled, remoteSteady)) {
        assertThat(inbox.twice()).as("delivered twice").isEmpty();
      }
      assertThat(localStalled.missing(last)).as("the publishing node's member, stalled room").isEmpty();
      assertThat(localSteady.missing(last)).as("the publishing node's member, steady room").isEmpty();
      assertThat(remoteSteady.missing(last)).as("the other node, room on a master that answers").isEmpty();
      assertThat(remoteLost).as("the other node, room on the stalled master").isNotEmpty()
          .allMatch(n -> n > atPause - 50 && n < back);
      assertThat(nodeA.cluster().orElseThrow().health().lostBroadcasts()).as("the losses of the stall are counted")
          .isGreaterThanOrEqualTo(remoteLost.stream().filter(n -> n > atPause && n <= atResume).count());
    } finally {
      publisher.shutdownNow();
    }
  }

  /** A room whose channel's slot is on {@code master}. */
  private static String roomOn(RedisClusterProcesses redis, int master, String prefix) {
    for (int n = 0; ; n++) {
      String room = prefix + "-" + n;
      if (redis.ownerOf(SlotHash.getSlot("sb:r:{1:/" + room + "}")) == master) {
        return room;
      }
    }
  }
}
