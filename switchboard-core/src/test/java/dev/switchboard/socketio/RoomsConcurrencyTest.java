package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import io.socket.client.Ack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many clients on both event loops join and leave rooms while several threads (and one client,
 * through the server's event loop) broadcast. Every stable member of a room must get every
 * broadcast to that room exactly once, each sender's messages in the order sent; nobody may get
 * a broadcast for a room it never joined.
 */
class RoomsConcurrencyTest {
  private static final int WEBSOCKET_CLIENTS = 18;
  private static final int POLLING_CLIENTS = 4;
  /** Clients that start on polling and upgrade while the broadcasts run. */
  private static final int UPGRADING_CLIENTS = 4;
  private static final int SENDER_THREADS = 4;
  private static final int MESSAGES_PER_SENDER = 300;
  private static final int MIN_CHURN_DURING_SENDING = 10;
  private static final String RELAY = "relay";
  private static final List<String> ROOMS = List.of("r0", "r1", "r2");

  private TestServer server;
  private JavaClients clients;

  @AfterEach
  void tearDown() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** The rooms message {@code seq} of any sender goes to: one room, or two every fifth message. */
  static Set<String> targets(int seq) {
    Set<String> rooms = new LinkedHashSet<>();
    rooms.add(ROOMS.get(seq % 3));
    if (seq % 5 == 4) {
      rooms.add(ROOMS.get((seq + 1) % 3));
    }
    return rooms;
  }

  /** One client and the rooms it stays in, churns through, and never joins. */
  record Member(String name, ClientRecorder client, String stable, String churn, String never) {}

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyMemberGetsEveryBroadcastOnceAndInOrder() throws Exception {
    Map<String, Socket> sockets = new ConcurrentHashMap<>();
    Set<String> loops = ConcurrentHashMap.newKeySet();
    server = TestServer.start(io -> io.onConnection(socket -> {
      loops.add(Thread.currentThread().getName());
      socket.handshake().authField("name").ifPresent(name -> sockets.put(name, socket));
      socket.on("join", event -> {
        socket.join(event.args().text(0));
        event.ack();
      });
      socket.on("leave", event -> {
        socket.leave(event.args().text(0));
        event.ack();
      });
      socket.on("sync", event -> event.ack());
      socket.on("relay", event -> {
        int seq = event.arg(0, Integer.class);
        socket.to(targets(seq).toArray(String[]::new)).emit("m", RELAY, seq);
      });
      socket.on("relay-end", event -> socket.broadcast().emit("end", RELAY));
    }));
    clients = new JavaClients(server.url());

    List<Member> members = new ArrayList<>();
    for (int i = 0; i < WEBSOCKET_CLIENTS + POLLING_CLIENTS + UPGRADING_CLIENTS; i++) {
      String name = "c" + i;
      Mode mode = i < WEBSOCKET_CLIENTS ? Mode.WEBSOCKET
          : i < WEBSOCKET_CLIENTS + POLLING_CLIENTS ? Mode.POLLING : Mode.POLLING_THEN_UPGRADE;
      ClientRecorder client = clients.recorded("/", mode, Map.of("name", name)).connect();
      members.add(new Member(name, client, ROOMS.get(i % 3), ROOMS.get((i + 1) % 3), ROOMS.get((i + 2) % 3)));
    }
    for (Member member : members) {
      member.client().awaitConnect();
    }
    assertThat(sockets).hasSize(members.size());
    assertThat(loops).as("sockets are spread over both event loops").hasSize(2);
    SocketIoServer io = server.io();
    for (Member member : members) {
      Await.result(io.in(sockets.get(member.name()).id()).socketsJoin(member.stable()));
    }
    Member relay = members.get(0);

    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      AtomicBoolean sending = new AtomicBoolean(true);
      AtomicInteger operations = new AtomicInteger();
      CyclicBarrier go = new CyclicBarrier(SENDER_THREADS + 4);
      List<Future<?>> senders = new ArrayList<>();
      for (int s = 0; s < SENDER_THREADS; s++) {
        String sender = "t" + s;
        senders.add(pool.submit(() -> {
          go.await();
          for (int seq = 0; seq < MESSAGES_PER_SENDER; seq++) {
            io.to(targets(seq).toArray(String[]::new)).emit("m", sender, seq);
            if (seq == MESSAGES_PER_SENDER / 2) {
              // Half-way, make sure the membership churn really runs alongside.
              await().atMost(Await.TIMEOUT).until(() -> operations.get() >= MIN_CHURN_DURING_SENDING);
            }
            if (seq % 5 == 0) {
              // A round trip through both loops paces the sender, so the churn overlaps the whole run.
              Await.result(io.fetchSockets());
            }
          }
          io.emit("end", sender);
          return null;
        }));
      }
      senders.add(pool.submit(() -> {
        go.await();
        for (int seq = 0; seq < MESSAGES_PER_SENDER; seq++) {
          relay.client().socket().emit("relay", seq);
        }
        relay.client().socket().emit("relay-end");
        return null;
      }));
      // Two churners: membership changes from test threads, through server-side operators and by the clients.
      List<Future<?>> churners = new ArrayList<>();
      for (int c = 0; c < 2; c++) {
        int churner = c;
        churners.add(pool.submit(() -> {
          Random random = new Random(churner);
          go.await();
          while (sending.get()) {
            Member member = members.get(random.nextInt(members.size()));
            Socket socket = sockets.get(member.name());
            boolean join = random.nextBoolean();
            // Each operation is waited for, so churn keeps pace with the broadcasts instead of flooding the loops.
            // The client path is rarer: its answers queue behind the broadcasts on the client's single event thread.
            switch (random.nextInt(8) / 3) {
              case 0 -> {
                if (join) {
                  socket.join(member.churn());
                } else {
                  socket.leave(member.churn());
                }
                Await.result(io.in(socket.id()).fetchSockets());
              }
              case 1 -> {
                BroadcastOperator one = io.in(socket.id());
                Await.result(join ? one.socketsJoin(member.churn()) : one.socketsLeave(member.churn()));
              }
              default -> {
                CountDownLatch done = new CountDownLatch(1);
                member.client().socket().emit(join ? "join" : "leave", member.churn(), (Ack) args -> done.countDown());
                assertThat(done.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
              }
            }
            operations.incrementAndGet();
          }
          return null;
        }));
      }
      go.await();
      for (Future<?> sender : senders) {
        sender.get(60, TimeUnit.SECONDS);
      }
      sending.set(false);
      for (Future<?> churner : churners) {
        churner.get(60, TimeUnit.SECONDS);
      }
      assertThat(operations.get()).as("membership changes during the broadcasts").isGreaterThanOrEqualTo(MIN_CHURN_DURING_SENDING);
    } finally {
      pool.shutdownNow();
    }

    Set<String> allSenders = new HashSet<>();
    for (int s = 0; s < SENDER_THREADS; s++) {
      allSenders.add("t" + s);
    }
    allSenders.add(RELAY);
    for (Member member : members) {
      Set<String> expectedEnds = new HashSet<>(allSenders);
      if (member == relay) {
        expectedEnds.remove(RELAY);
      }
      Map<String, List<Integer>> received = drainUntilEnds(member, expectedEnds);
      for (String sender : expectedEnds) {
        List<Integer> seqs = received.getOrDefault(sender, List.of());
        for (int i = 1; i < seqs.size(); i++) {
          assertThat(seqs.get(i)).as("%s from %s: order and uniqueness in %s", member.name(), sender, seqs)
              .isGreaterThan(seqs.get(i - 1));
        }
        Set<Integer> got = new HashSet<>(seqs);
        for (int seq = 0; seq < MESSAGES_PER_SENDER; seq++) {
          Set<String> targets = targets(seq);
          if (targets.contains(member.stable())) {
            assertThat(got).as("%s (stable in %s) must get %s#%d", member.name(), member.stable(), sender, seq).contains(seq);
          } else if (!targets.contains(member.churn())) {
            assertThat(got).as("%s never joined %s, yet got %s#%d", member.name(), targets, sender, seq).doesNotContain(seq);
          }
        }
      }
      if (member == relay) {
        assertThat(received).doesNotContainKey(RELAY);
      }
    }

    // Settle the churn: every client's own events are processed, then everyone leaves the churn room.
    for (Member member : members) {
      CountDownLatch synced = new CountDownLatch(1);
      member.client().socket().emit("sync", (Ack) args -> synced.countDown());
      assertThat(synced.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      Await.result(io.in(sockets.get(member.name()).id()).socketsLeave(member.churn()));
    }
    // The rooms hold exactly the stable members, on every loop.
    for (String room : ROOMS) {
      List<String> expected = members.stream().filter(m -> m.stable().equals(room))
          .map(m -> sockets.get(m.name()).id()).toList();
      assertThat(Await.result(io.in(room).fetchSockets())).extracting(RemoteSocket::id)
          .as("members of %s", room).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  /** Reads {@code member}'s events until every sender's end marker arrived; returns the seqs per sender. */
  private static Map<String, List<Integer>> drainUntilEnds(Member member, Set<String> senders) {
    Map<String, List<Integer>> received = new HashMap<>();
    Set<String> ended = new HashSet<>();
    while (!ended.containsAll(senders)) {
      ClientRecorder.Recorded next = member.client().next(Duration.ofSeconds(30));
      assertThat(next).as("%s", member.name()).isInstanceOf(ClientRecorder.Received.class);
      ClientRecorder.Received event = (ClientRecorder.Received) next;
      switch (event.name()) {
        case "m" -> {
          String sender = event.text(0);
          assertThat(ended).as("%s got %s#%d after its end marker", member.name(), sender, event.integer(1))
              .doesNotContain(sender);
          received.computeIfAbsent(sender, s -> new ArrayList<>()).add(event.integer(1));
        }
        case "end" -> assertThat(ended.add(event.text(0))).as("a single end from %s", event.text(0)).isTrue();
        default -> throw new AssertionError("unexpected " + event);
      }
    }
    return received;
  }
}
