package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cluster.OccupancyChange;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceRule;
import dev.switchboard.socketio.PresenceListener;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.testkit.TestServer;
import dev.switchboard.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Room occupancy over two nodes of a real Redis: when members on both nodes enter and leave a
 * room at the same moment, exactly one node reports it occupied and exactly one reports it
 * vacated (hundreds of rooms raced); a node that stops without leaving has its rooms vacated by
 * the other node once, and presence joins and leaves are told once over the cluster.
 */
class RoomOccupancyClusterTest {
  private static final Duration REFRESH = Duration.ofMillis(100);
  private static final Duration TTL = Duration.ofMillis(400);
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** One node and what its listeners heard. */
  private record Node(RedisCluster cluster, TestServer server, List<OccupancyChange> changes, List<String> presence) {}

  private RedisProcess redis;
  private Node a;
  private Node b;
  private final Clients clients = new Clients();

  @BeforeEach
  void start() throws Exception {
    redis = RedisProcess.start();
    a = node();
    b = node();
  }

  @AfterEach
  void stop() {
    try {
      clients.close();
      for (Node node : new Node[] {a, b}) {
        if (node != null) {
          node.server().close();
          node.cluster().close();
        }
      }
    } finally {
      redis.close();
    }
  }

  private Node node() {
    RedisCluster cluster = RedisCluster.connect(RedisOptions.of(redis.uri()).withTimings(REFRESH, TTL));
    List<OccupancyChange> changes = new CopyOnWriteArrayList<>();
    List<String> presence = new CopyOnWriteArrayList<>();
    TestServer server = TestServer.start(SocketIoOptions.builder().presence(List.of(new PresenceRule("*", true, false))).build(),
        cluster, io -> {
          io.onRoomOccupancy(changes::add);
          io.onPresence(new PresenceListener() {
            @Override
            public void joined(String room, PresenceMember member) {
              presence.add("join " + room);
            }

            @Override
            public void left(String room, PresenceMember member) {
              presence.add("leave " + room);
            }
          });
        });
    return new Node(cluster, server, changes, presence);
  }

  /** The server side of a new client of {@code node}. */
  private Socket member(Node node, String name) {
    clients.connect(node.server().port(), name);
    await().atMost(WAIT).until(() -> node.server().io().sockets().values().stream()
        .anyMatch(socket -> socket.handshake().authField("name").orElse("").equals(name)));
    return node.server().io().sockets().values().stream()
        .filter(socket -> socket.handshake().authField("name").orElse("").equals(name)).findFirst().orElseThrow();
  }

  /** Both nodes' changes of {@code room}, in their sequence's order. */
  private List<OccupancyChange> changes(String room) {
    return Stream.concat(a.changes().stream(), b.changes().stream()).filter(change -> change.room().equals(room))
        .sorted(Comparator.comparingLong(OccupancyChange::sequence)).toList();
  }

  @Test
  void membersOnTwoNodesEnteringAndLeavingAtOnceOccupyAndVacateEachRoomOnce() throws Exception {
    Socket onA = member(a, "ada");
    Socket onB = member(b, "bob");
    int rounds = 40;
    int roomsPerRound = 10;
    ExecutorService threads = Executors.newFixedThreadPool(2);
    List<String> all = new ArrayList<>();
    try {
      for (int round = 0; round < rounds; round++) {
        String prefix = "race:" + round + ":";
        List<String> rooms = IntStream.range(0, roomsPerRound).mapToObj(i -> prefix + i).toList();
        all.addAll(rooms);
        together(threads, () -> onA.join(rooms), () -> onB.join(rooms.reversed()));
        // As a join is acknowledged: once the room's occupancy has counted it.
        CompletableFuture.allOf(Stream.concat(rooms.stream().map(onA::roomReady), rooms.stream().map(onB::roomReady))
            .toArray(CompletableFuture[]::new)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        together(threads, () -> rooms.forEach(onA::leave), () -> rooms.reversed().forEach(onB::leave));
      }
    } finally {
      threads.shutdownNow();
    }
    await().atMost(WAIT).until(() -> all.stream().allMatch(room -> changes(room).size() >= 2));
    assertThat(a.server().io().settled()).succeedsWithin(WAIT);
    assertThat(b.server().io().settled()).succeedsWithin(WAIT);
    for (String room : all) {
      assertThat(changes(room)).as("changes of %s", room).extracting(OccupancyChange::occupied).containsExactly(true, false);
    }
    assertThat(a.changes()).as("both nodes decide some changes").isNotEmpty();
    assertThat(b.changes()).isNotEmpty();
  }

  @Test
  void aMemberLeavingOneNodeWhileAnotherEntersOnTheOtherNeverDoublesAChange() throws Exception {
    Socket onA = member(a, "ada");
    Socket onB = member(b, "bob");
    List<String> all = new ArrayList<>();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 30; round++) {
        String prefix = "handover:" + round + ":";
        List<String> rooms = IntStream.range(0, 10).mapToObj(i -> prefix + i).toList();
        all.addAll(rooms);
        onA.join(rooms);
        await().atMost(WAIT).until(() -> onA.rooms().containsAll(rooms));
        together(threads, () -> rooms.forEach(onA::leave), () -> onB.join(rooms));
        await().atMost(WAIT).until(() -> onB.rooms().containsAll(rooms));
        rooms.forEach(onB::leave);
      }
    } finally {
      threads.shutdownNow();
    }
    await().atMost(WAIT).until(() -> all.stream().allMatch(room -> {
      List<OccupancyChange> changes = changes(room);
      return !changes.isEmpty() && !changes.getLast().occupied();
    }));
    for (String room : all) {
      List<Boolean> kinds = changes(room).stream().map(OccupancyChange::occupied).toList();
      assertThat(kinds).as("changes of %s alternate, from occupied to vacated", room)
          .isIn(List.of(true, false), List.of(true, false, true, false));
    }
  }

  @Test
  void theRoomsOfANodeThatStopsWithoutLeavingAreVacatedOnceByTheOther() throws Exception {
    Socket onA = member(a, "ada");
    Socket onB = member(b, "bob");
    onA.join("lonely", "shared", "taken-over", "later");
    onB.join("shared");
    await().atMost(WAIT).until(() -> Stream.of("lonely", "shared", "taken-over", "later")
        .allMatch(room -> changes(room).size() == 1));
    await().atMost(WAIT).until(() -> b.presence().stream().filter(entry -> entry.startsWith("join ")).count()
        + a.presence().stream().filter(entry -> entry.startsWith("join ")).count() == 5);

    a.cluster().close(); // as Redis sees a crash: no leave, no refresh
    onB.join("taken-over"); // before Ada's entry expires: the room is never empty
    await().atMost(WAIT).until(() -> changes("lonely").size() == 2);
    onB.join("later"); // after: vacated by the sweep (or by this entry), then occupied again
    await().atMost(WAIT).until(() -> changes("later").size() == 3);
    onB.leave("shared");
    onB.leave("taken-over");
    await().atMost(WAIT).until(() -> changes("shared").size() == 2 && changes("taken-over").size() == 2);
    assertThat(b.server().io().settled()).succeedsWithin(WAIT);

    assertThat(changes("lonely")).extracting(OccupancyChange::occupied).containsExactly(true, false);
    assertThat(changes("later")).extracting(OccupancyChange::occupied).containsExactly(true, false, true);
    assertThat(changes("taken-over")).extracting(OccupancyChange::occupied).containsExactly(true, false);
    assertThat(changes("shared")).extracting(OccupancyChange::occupied).containsExactly(true, false);
    assertThat(b.changes()).as("the vacated rooms of the stopped node are reported by the live one")
        .filteredOn(change -> !change.occupied()).extracting(OccupancyChange::room)
        .containsExactlyInAnyOrder("lonely", "later", "shared", "taken-over");
    // Ada's presence expires: told once, by the live node, in the rooms Bob shares and in the one he never entered.
    await().atMost(WAIT).until(() -> b.presence().contains("leave lonely"));
    assertThat(b.server().io().settled()).succeedsWithin(WAIT);
    assertThat(b.presence()).filteredOn(entry -> entry.startsWith("leave ")).containsExactlyInAnyOrder(
        "leave lonely", "leave later", "leave shared", "leave shared", "leave taken-over", "leave taken-over");
  }

  /** Runs both at once, released together; returns when both are done. */
  private static void together(ExecutorService threads, Runnable first, Runnable second) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(2);
    List<Future<?>> done = new ArrayList<>();
    for (Runnable action : List.of(first, second)) {
      done.add(threads.submit(() -> {
        barrier.await();
        action.run();
        return null;
      }));
    }
    for (Future<?> future : done) {
      future.get();
    }
  }
}
