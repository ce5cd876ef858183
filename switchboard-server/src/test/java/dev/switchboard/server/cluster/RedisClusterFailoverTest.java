package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import io.lettuce.core.cluster.SlotHash;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on a Redis Cluster of three masters each with a replica, while two members publish a
 * numbered sequence to rooms on every shard and members on both nodes receive it: the master of
 * one room's shard is killed (SIGKILL) and its replica takes over, once per shard. Delivery to the
 * room resumes within 5 s of the kill (2 s of the promotion), no member gets a message twice, every
 * message the server accepted reaches every member (publishes while the shard has no master wait
 * and go through once its replica took over), and neither node takes the other for dead: nobody
 * leaves a room's presence. The one exception allowed is a broadcast the dying master ran in the
 * last moment before the kill, whose copy for the other node may never have left it (Redis pub/sub
 * delivers at most once); such losses are counted and printed.
 */
class RedisClusterFailoverTest {
  private static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);
  private static final Duration PUBLISH_EVERY = Duration.ofMillis(20);
  private static final Duration RESUMED_WITHIN = Duration.ofSeconds(5);
  private static final Map<String, String> NODE_SETTINGS = Map.of(
      "max-connections-per-user", "0", "event-rate", "0", "user-event-rate", "0");

  @Test
  void deliveryResumesAfterEachShardFailsOverWithNothingLostOrTwice() throws Exception {
    try (Nodes nodes = new Nodes(); Clients clients = new Clients()) {
      RedisClusterProcesses redis = nodes.redis(RedisClusterProcesses.withReplicas(3, NODE_TIMEOUT));
      SwitchboardApp nodeA = nodes.add(ClusterTest.node(redis.uri(), NODE_SETTINGS));
      SwitchboardApp nodeB = nodes.add(ClusterTest.node(redis.uri(), NODE_SETTINGS));
      List<String> rooms = roomsOnEveryShard(redis, "failover");

      List<SequenceInbox> inboxes = new ArrayList<>();
      List<BlockingQueue<Object[]>> leaves = new ArrayList<>();
      for (String room : rooms) {
        for (SwitchboardApp node : List.of(nodeA, nodeB)) {
          String member = room + "@" + (node == nodeA ? "A" : "B");
          Socket socket = clients.connect(node.port(), member);
          inboxes.add(SequenceInbox.of(socket, member, room));
          leaves.add(inbox(socket, "presence:leave"));
          join(socket, room);
        }
      }
      Socket onA = clients.connect(nodeA.port(), "publisher-A");
      Socket onB = clients.connect(nodeB.port(), "publisher-B");
      for (Socket publisher : List.of(onA, onB)) {
        SequenceInbox inbox = SequenceInbox.of(publisher, publisher == onA ? "publisher-A" : "publisher-B", "");
        inboxes.add(inbox);
        rooms.forEach(room -> join(publisher, room));
      }
      for (String room : rooms) {
        await().atMost(Duration.ofSeconds(10)).until(() -> members(nodeA, room) == 4 && members(nodeB, room) == 4);
      }

      List<SequencePublisher> publishers = List.of(
          SequencePublisher.start(onA, "publisher-A", rooms, PUBLISH_EVERY),
          SequencePublisher.start(onB, "publisher-B", rooms, PUBLISH_EVERY));
      Deliveries deliveries = new Deliveries(publishers, inboxes);
      List<Deliveries.Kill> kills = new ArrayList<>();
      try {
        await().atMost(Duration.ofSeconds(10)).until(() -> deliveries.everyMemberReceivedAfter(rooms, 0));
        for (String room : rooms) {
          int shard = redis.ownerOf(slot(room));
          long killed = System.nanoTime();
          redis.kill(shard);
          // A message sent while SIGKILL was on its way may still have been run by the master.
          kills.add(new Deliveries.Kill(room, System.nanoTime()));
          redis.awaitFailover(shard, Duration.ofSeconds(15));
          long promoted = System.nanoTime();
          await().atMost(Duration.ofSeconds(15)).until(() -> deliveries.everyMemberReceivedAfter(List.of(room), killed));
          Deliveries.Gap gap = deliveries.gap(room, killed, promoted);
          System.out.printf("failover of the shard of %s: promoted %d ms after the kill; longest silence %d ms, "
              + "first delivery %d ms after the kill, %d ms after the promotion%n",
              room, (promoted - killed) / 1_000_000, gap.silenceMillis(), gap.sinceKillMillis(), gap.sincePromotionMillis());
          assertThat(gap.sinceKillMillis()).as("delivery to %s resumed within %s of the kill", room, RESUMED_WITHIN)
              .isLessThan(RESUMED_WITHIN.toMillis());
          assertThat(gap.sincePromotionMillis()).as("delivery to %s resumed within 2 s of the promotion", room)
              .isLessThan(2000);
          for (String each : rooms) {
            await().atMost(Duration.ofSeconds(5)).until(() -> members(nodeA, each) == 4 && members(nodeB, each) == 4);
            assertThat(nodeA.io().fetchPresence(each).get(5, TimeUnit.SECONDS)).hasSize(4);
            assertThat(nodeB.io().fetchPresence(each).get(5, TimeUnit.SECONDS)).hasSize(4);
          }
          redis.rejoin(shard);
        }
      } finally {
        publishers.forEach(SequencePublisher::stop);
      }
      await().atMost(SequencePublisher.GIVE_UP_AFTER.plusSeconds(5))
          .until(() -> publishers.stream().allMatch(SequencePublisher::settled));
      try {
        // Accepted messages still on their way arrive within a moment.
        await().atMost(Duration.ofSeconds(5))
            .until(() -> deliveries.missing().stream().allMatch(missing -> deliveries.inFlightAtKill(missing, kills)));
      } catch (ConditionTimeoutException stillMissing) {
        // listed by the assertion below
      }
      publishers.forEach(SequencePublisher::close);

      Deliveries.Summary summary = deliveries.summary();
      List<String> inFlight = deliveries.missing().stream().filter(missing -> deliveries.inFlightAtKill(missing, kills)).toList();
      System.out.println("failover run: " + summary + "; accepted just before a kill of their room's master and "
          + "not received: " + inFlight);
      assertThat(summary.duplicates()).as("messages a member received twice").isEmpty();
      // A broadcast Redis ran just before its master was killed may not have left it: pub/sub is at most once.
      assertThat(deliveries.missing()).as("accepted messages a member never received").hasSameElementsAs(inFlight);
      assertThat(inFlight.size()).as("messages lost in flight at %d kills", kills.size()).isLessThanOrEqualTo(2 * 4 * kills.size());
      assertThat(summary.givenUp()).as("messages refused until their publisher gave up").isZero();
      assertThat(summary.accepted()).isGreaterThan(300);
      for (BlockingQueue<Object[]> left : leaves) {
        assertThat(left).as("presence:leave announced during failovers").isEmpty();
      }
    }
  }

  private static int members(SwitchboardApp node, String room) {
    return node.io().in(room).fetchSockets().join().size();
  }

  private static List<String> roomsOnEveryShard(RedisClusterProcesses redis, String prefix) {
    String[] byShard = new String[redis.size()];
    for (int n = 0; Arrays.stream(byShard).anyMatch(room -> room == null); n++) {
      String room = prefix + "-" + n;
      int owner = redis.ownerOf(slot(room));
      if (byShard[owner] == null) {
        byShard[owner] = room;
      }
    }
    return List.of(byShard);
  }

  private static int slot(String room) {
    return SlotHash.getSlot("sb:r:{1:/" + room + "}");
  }

  /** What the publishers sent against what each member received. */
  private static final class Deliveries {
    /** How long before a kill a message may still be on its way through the master. */
    static final Duration IN_FLIGHT = Duration.ofSeconds(1);

    record Gap(long silenceMillis, long sinceKillMillis, long sincePromotionMillis) {}

    record Summary(int published, int accepted, int refusedFirst, int givenUp, List<String> duplicates) {}

    private final List<SequencePublisher> publishers;
    private final List<SequenceInbox> inboxes;

    Deliveries(List<SequencePublisher> publishers, List<SequenceInbox> inboxes) {
      this.publishers = publishers;
      this.inboxes = inboxes;
    }

    private SequencePublisher publisher(String name) {
      return publishers.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    private String roomOf(SequenceInbox.Receipt receipt) {
      return publisher(receipt.publisher()).roomOf(receipt.n());
    }

    private List<SequenceInbox> membersOf(String room) {
      return inboxes.stream().filter(inbox -> inbox.room().isEmpty() || inbox.room().equals(room)).toList();
    }

    /** Whether every member of {@code rooms} got a message to that room first sent after {@code since}. */
    boolean everyMemberReceivedAfter(List<String> rooms, long since) {
      for (String room : rooms) {
        for (SequenceInbox inbox : membersOf(room)) {
          boolean got = inbox.receipts().stream().anyMatch(receipt -> roomOf(receipt).equals(room)
              && publisher(receipt.publisher()).outcomes().get(receipt.n()).sentNanos() > since);
          if (!got) {
            return false;
          }
        }
      }
      return true;
    }

    /**
     * The longest silence of {@code room} around the kill over its members, and when the delivery
     * ending it came: after the kill, and after the promotion.
     */
    Gap gap(String room, long killed, long promoted) {
      long silence = 0;
      long resumed = killed;
      for (SequenceInbox inbox : membersOf(room)) {
        long previous = killed;
        for (SequenceInbox.Receipt receipt : inbox.receipts()) {
          if (!roomOf(receipt).equals(room)) {
            continue;
          }
          if (receipt.nanos() > killed && receipt.nanos() - previous > silence) {
            silence = receipt.nanos() - previous;
            resumed = Math.max(resumed, receipt.nanos());
          }
          previous = Math.max(previous, receipt.nanos());
        }
      }
      return new Gap(silence / 1_000_000, (resumed - killed) / 1_000_000, (resumed - promoted) / 1_000_000);
    }

    /** The master of {@code room}'s shard was killed, and dead by {@code nanos}. */
    record Kill(String room, long nanos) {}

    /**
     * Whether {@code missing} (as {@link #missing} names it) went to the room whose master was
     * dead less than {@link #IN_FLIGHT} after it was first sent: Redis may have run it and died
     * before its copy left for the other node.
     */
    boolean inFlightAtKill(String missing, List<Kill> kills) {
      String[] parts = missing.split(" to ")[0].split("-");
      SequencePublisher.Outcome outcome = publisher(parts[0] + "-" + parts[1]).outcomes().get(Integer.parseInt(parts[2]));
      return kills.stream().anyMatch(kill -> kill.room().equals(outcome.room()) && outcome.sentNanos() <= kill.nanos()
          && kill.nanos() - outcome.sentNanos() < IN_FLIGHT.toNanos());
    }

    /** Accepted messages that some member of their room (other than their publisher) did not receive. */
    List<String> missing() {
      List<String> missing = new ArrayList<>();
      for (SequencePublisher publisher : publishers) {
        for (SequencePublisher.Outcome outcome : publisher.outcomes().values()) {
          if (!outcome.accepted()) {
            continue;
          }
          for (SequenceInbox inbox : membersOf(outcome.room())) {
            if (!inbox.member().equals(publisher.name()) && inbox.receipts().stream()
                .noneMatch(r -> r.publisher().equals(publisher.name()) && r.n() == outcome.n())) {
              missing.add(publisher.name() + "-" + outcome.n() + " to " + inbox.member());
            }
          }
        }
      }
      return missing;
    }

    Summary summary() {
      int published = 0;
      int accepted = 0;
      int refused = 0;
      int givenUp = 0;
      for (SequencePublisher publisher : publishers) {
        for (SequencePublisher.Outcome outcome : publisher.outcomes().values()) {
          published++;
          accepted += outcome.accepted() ? 1 : 0;
          refused += outcome.refusals() > 0 ? 1 : 0;
          givenUp += outcome.givenUp() ? 1 : 0;
        }
      }
      List<String> duplicates = new ArrayList<>();
      for (SequenceInbox inbox : inboxes) {
        Set<String> seen = new HashSet<>();
        for (SequenceInbox.Receipt receipt : inbox.receipts()) {
          if (!seen.add(receipt.publisher() + "-" + receipt.n())) {
            duplicates.add(receipt.publisher() + "-" + receipt.n() + " at " + inbox.member());
          }
        }
      }
      return new Summary(published, accepted, refused, givenUp, duplicates);
    }
  }
}
