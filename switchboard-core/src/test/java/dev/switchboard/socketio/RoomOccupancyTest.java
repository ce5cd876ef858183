package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.cluster.OccupancyChange;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceRule;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A single node's room occupancy and presence listeners: a room is occupied by its first member and
 * vacated by its last, each once, however its members come and go (sockets on several event loops
 * at once); a socket's own room is never reported; presence tells each user's first arrival and
 * last departure once.
 */
class RoomOccupancyTest {
  private final List<OccupancyChange> changes = new CopyOnWriteArrayList<>();
  private final List<String> presence = new CopyOnWriteArrayList<>();
  private TestServer server;
  private JavaClients clients;

  @AfterEach
  void stop() {
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  private void start() {
    server = TestServer.start(SocketIoOptions.builder().presence(List.of(new PresenceRule("doc:*", true, false))).build(),
        io -> {
          io.onRoomOccupancy(changes::add);
          io.onPresence(new PresenceListener() {
            @Override
            public void joined(String room, PresenceMember member) {
              presence.add("join " + room + " " + member.id());
            }

            @Override
            public void left(String room, PresenceMember member) {
              presence.add("leave " + room + " " + member.id());
            }
          });
          io.onConnection(socket -> {
            socket.data().put(PresenceIdentity.DATA_KEY,
                new PresenceMember(socket.handshake().authField("user").orElse(socket.id()), Map.of()));
            socket.on("join", event -> {
              socket.join(event.args().text(0));
              event.ack(true);
            });
            socket.on("leave", event -> {
              socket.leave(event.args().text(0));
              event.ack(true);
            });
          });
        });
    clients = new JavaClients(server.url());
  }

  private ClientRecorder connect(Mode mode, String user) {
    ClientRecorder client = clients.recorded("/", mode, Map.of("user", user)).connect();
    client.awaitConnect();
    return client;
  }

  @Test
  void aRoomIsOccupiedByItsFirstMemberAndVacatedByItsLast() {
    start();
    ClientRecorder ada = connect(Mode.WEBSOCKET, "ada");
    ClientRecorder adaAgain = connect(Mode.POLLING, "ada");
    ClientRecorder bob = connect(Mode.WEBSOCKET, "bob");

    JavaClients.emitWithAck(ada.socket(), "join", "doc:1");
    await().atMost(Await.TIMEOUT).until(() -> changes.size() == 1);
    JavaClients.emitWithAck(adaAgain.socket(), "join", "doc:1");
    JavaClients.emitWithAck(bob.socket(), "join", "doc:1");
    JavaClients.emitWithAck(ada.socket(), "leave", "doc:1");
    bob.socket().close();
    await().atMost(Await.TIMEOUT).until(() -> presence.contains("leave doc:1 bob"));
    assertThat(changes).hasSize(1);
    adaAgain.socket().close();
    await().atMost(Await.TIMEOUT).until(() -> changes.size() == 2);

    assertThat(changes).extracting(OccupancyChange::room, OccupancyChange::occupied)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("doc:1", true), org.assertj.core.groups.Tuple.tuple("doc:1", false));
    assertThat(changes.get(0).namespace()).isEqualTo("/");
    assertThat(changes.get(0).sequence()).isLessThan(changes.get(1).sequence());
    assertThat(presence).containsExactly("join doc:1 ada", "join doc:1 bob", "leave doc:1 bob", "leave doc:1 ada");
    assertThat(server.io().settled()).succeedsWithin(Await.TIMEOUT);
  }

  @Test
  void socketsOnEveryLoopJoiningAndLeavingAtOnceOccupyAndVacateInTurn() throws Exception {
    start();
    int members = 8;
    for (int i = 0; i < members; i++) {
      connect(i % 2 == 0 ? Mode.WEBSOCKET : Mode.POLLING, "u" + i);
    }
    await().atMost(Await.TIMEOUT).until(() -> server.io().sockets().size() == members);
    List<Socket> sockets = new ArrayList<>(server.io().sockets().values());
    ExecutorService threads = Executors.newFixedThreadPool(members);
    try {
      for (int round = 0; round < 200; round++) {
        String room = "race:" + round;
        CyclicBarrier together = new CyclicBarrier(members);
        List<Future<?>> done = new ArrayList<>();
        for (Socket socket : sockets) {
          done.add(threads.submit(() -> {
            together.await();
            socket.join(room);
            socket.leave(room);
            return null;
          }));
        }
        for (Future<?> future : done) {
          future.get();
        }
      }
    } finally {
      threads.shutdownNow();
    }
    await().atMost(Await.TIMEOUT).until(() -> server.io().localRoomSizes().join().keySet().stream()
        .noneMatch(room -> room.startsWith("race:")));
    for (int round = 0; round < 200; round++) {
      String room = "race:" + round;
      List<OccupancyChange> ofRoom = changes.stream().filter(change -> change.room().equals(room)).toList();
      assertThat(ofRoom).as("changes of %s", room).isNotEmpty();
      for (int i = 0; i < ofRoom.size(); i++) {
        assertThat(ofRoom.get(i).occupied()).as("change %d of %s: %s", i, room, ofRoom).isEqualTo(i % 2 == 0);
        if (i > 0) {
          assertThat(ofRoom.get(i).sequence()).isGreaterThan(ofRoom.get(i - 1).sequence());
        }
      }
      assertThat(ofRoom.getLast().occupied()).as("%s ends vacated", room).isFalse();
    }
    assertThat(changes).as("a socket's own room is never reported")
        .noneMatch(change -> server.io().sockets().containsKey(change.room()));
  }
}
