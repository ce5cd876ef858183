package dev.switchboard.bench.scenario;

import dev.switchboard.bench.JsonLine;
import dev.switchboard.bench.cli.Options;
import dev.switchboard.bench.client.ConnectionRamp;
import dev.switchboard.bench.client.SioConnection;
import dev.switchboard.bench.client.SioFrames;
import dev.switchboard.bench.client.SioListener;
import dev.switchboard.bench.load.Counter;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import io.lettuce.core.cluster.SlotHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Switchboard only: {@code --nodes} (default 2) nodes on a Redis Cluster of three masters each with
 * a replica; {@code --subscribers} spread over the nodes and over {@code --rooms} rooms, and one
 * publisher per node sending a numbered sequence to the rooms in turn at {@code --rate} per second.
 * {@code --kills} times, the master owning the next room's channel is killed (SIGKILL), its replica
 * promoted, and the killed node started again as a replica. Measured per kill: when the room's
 * members got a message sent after the kill from another node's publisher again (after the kill,
 * after the promotion: the worst member), and over the run: messages lost, received twice, and delivered more than a second late
 * (held or sent again across a gap rather than lost).
 */
final class FailoverScenario implements Scenario {
  private static final long LATE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * One subscriber's receipts: the numbers per publisher, duplicates, late ones, and the first
   * after a mark from the publisher of another node (its own node's reach it without Redis).
   */
  private static final class Member implements SioListener {
    final int room;
    final int node;
    final BitSet[] seen;
    long duplicates;
    long late;
    volatile long since = Long.MAX_VALUE;
    volatile long firstAfter;

    Member(int room, int node, int publishers) {
      this.room = room;
      this.node = node;
      this.seen = new BitSet[publishers];
      for (int i = 0; i < publishers; i++) {
        seen[i] = new BitSet();
      }
    }

    @Override
    public synchronized void onEvent(SioConnection connection, String packet) {
      long now = System.nanoTime();
      int publisher = (int) field(packet, "\"k\":");
      int number = (int) field(packet, "\"s\":");
      long sent = field(packet, "\"t\":");
      if (seen[publisher].get(number)) {
        duplicates++;
      }
      seen[publisher].set(number);
      if (now - sent > LATE_NANOS) {
        late++;
      }
      if (publisher != node && sent > since && firstAfter == 0) {
        firstAfter = now;
      }
    }

    synchronized void watch(long from) {
      firstAfter = 0;
      since = from;
    }

    synchronized long received() {
      long count = 0;
      for (BitSet numbers : seen) {
        count += numbers.cardinality();
      }
      return count;
    }
  }

  @Override
  public JsonLine run(Options options) {
    int subscribers = options.integer("subscribers", 200);
    int rooms = options.integer("rooms", 6);
    double rate = options.number("rate", 100);
    int kills = options.integer("kills", 2);
    int nodes = options.integer("nodes", 2);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < rooms; i++) {
      names.add("failover-" + i);
    }
    try (RedisClusterProcesses redis = RedisClusterProcesses.withReplicas(3,
            Duration.ofMillis(options.integer("node-timeout-ms", 1000)));
        Target target = Target.onRedis(options, redis.uri(), nodes)) {
      List<Member> members = new ArrayList<>();
      for (int i = 0; i < subscribers; i++) {
        // The ramp opens connection i on node i % nodes, and publisher k on node k: every room has members on every node.
        members.add(new Member((i / nodes) % rooms, i % nodes, nodes));
      }
      Counter joined = new Counter();
      ConnectionRamp.Result<SioConnection> ramp = target.ramp().open(subscribers, options.number("connect-rate", 2000),
          options.integer("max-pending", 256), i -> new SioListener() {
            @Override
            public void onEvent(SioConnection connection, String packet) {
              members.get(i).onEvent(connection, packet);
            }

            @Override
            public void onAck(SioConnection connection, long ackId, String packet) {
              joined.increment();
            }
          });
      for (int i = 0; i < ramp.connections().size(); i++) {
        ramp.connections().get(i).emitWithAck("join", SioFrames.quoted(names.get(members.get(i).room)));
      }
      long joinedCount = joined.awaitAtLeast(ramp.connections().size(), 30);
      List<SioConnection> publishers = target.ramp().open(nodes, 0, nodes, i -> SioListener.NONE).connections();
      int[] published = new int[publishers.size()];
      AtomicBoolean publishing = new AtomicBoolean(true);
      Thread sender = new Thread(() -> {
        long interval = (long) (1e9 / rate);
        long due = System.nanoTime();
        while (publishing.get()) {
          for (int k = 0; k < publishers.size(); k++) {
            int number = published[k];
            publishers.get(k).emit("publish", SioFrames.quoted(names.get(number % rooms)),
                "{\"k\":" + k + ",\"s\":" + number + ",\"t\":" + System.nanoTime() + "}");
            published[k] = number + 1;
          }
          due += interval;
          LockSupport.parkNanos(due - System.nanoTime());
        }
      }, "failover-publisher");
      sender.start();
      Sleep.seconds(options.number("warmup", 2));

      List<JsonLine> failovers = new ArrayList<>();
      double worstAfterKill = 0;
      double worstAfterPromotion = Double.NEGATIVE_INFINITY;
      for (int kill = 0; kill < kills; kill++) {
        int room = kill % rooms;
        int shard = redis.ownerOf(SlotHash.getSlot("sb:r:{1:/" + names.get(room) + "}"));
        List<Member> inRoom = members.stream().filter(m -> m.room == room).toList();
        long killed = System.nanoTime();
        inRoom.forEach(m -> m.watch(killed));
        redis.kill(shard);
        redis.awaitFailover(shard, Duration.ofSeconds(30));
        long promoted = System.nanoTime();
        long deadline = promoted + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && inRoom.stream().anyMatch(m -> m.firstAfter == 0)) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        boolean resumed = inRoom.stream().allMatch(m -> m.firstAfter != 0);
        long last = inRoom.stream().mapToLong(m -> m.firstAfter).max().orElse(0);
        double afterKill = resumed ? (last - killed) / 1e6 : -1;
        double afterPromotion = resumed ? (last - promoted) / 1e6 : -1;
        worstAfterKill = resumed && worstAfterKill >= 0 ? Math.max(worstAfterKill, afterKill) : -1;
        worstAfterPromotion = resumed && worstAfterKill >= 0 ? Math.max(worstAfterPromotion, afterPromotion) : -1;
        failovers.add(new JsonLine()
            .put("room", names.get(room))
            .put("promotedMs", JsonLine.rounded((promoted - killed) / 1e6))
            .put("resumed", resumed)
            .put("firstDeliveryAfterKillMs", JsonLine.rounded(afterKill))
            .put("firstDeliveryAfterPromotionMs", JsonLine.rounded(afterPromotion)));
        redis.rejoin(shard);
      }
      publishing.set(false);
      try {
        sender.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      long expected = 0;
      for (Member member : members.subList(0, ramp.connections().size())) {
        for (int k = 0; k < published.length; k++) {
          expected += published[k] / rooms + (published[k] % rooms > member.room ? 1 : 0);
        }
      }
      long drainUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos((long) options.number("drain", 5));
      while (System.nanoTime() < drainUntil && members.stream().mapToLong(Member::received).sum() < expected) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
      long delivered = members.stream().mapToLong(Member::received).sum();
      long duplicates = members.stream().mapToLong(m -> m.duplicates).sum();
      long late = members.stream().mapToLong(m -> m.late).sum();
      long sent = 0;
      for (int count : published) {
        sent += count;
      }
      return target.header("failover")
          .put("redisCluster", true)
          .put("nodeTimeoutMs", options.integer("node-timeout-ms", 1000))
          .put("subscribers", subscribers)
          .put("rooms", rooms)
          .put("ratePerPublisher", rate)
          .put("publishers", publishers.size())
          .put("joined", joinedCount)
          .put("kills", kills)
          .put("failovers", failovers)
          .put("maxFirstDeliveryAfterKillMs", JsonLine.rounded(worstAfterKill))
          .put("maxFirstDeliveryAfterPromotionMs", JsonLine.rounded(worstAfterPromotion))
          .put("published", sent)
          .put("expected", expected)
          .put("delivered", delivered)
          .put("lost", expected - delivered)
          .put("duplicates", duplicates)
          .put("redelivered", late);
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      // Starting the cluster throws what its commands and processes throw.
      throw new IllegalStateException("the Redis Cluster failed: " + e.getMessage(), e);
    }
  }

  /** The number after {@code key} in a packet. */
  private static long field(String packet, String key) {
    int at = packet.indexOf(key) + key.length();
    int end = at;
    while (end < packet.length() && (Character.isDigit(packet.charAt(end)) || packet.charAt(end) == '-')) {
      end++;
    }
    return Long.parseLong(packet, at, end, 10);
  }
}
