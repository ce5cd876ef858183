package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A join made from a thread that is not the socket's event loop, followed by a broadcast to the
 * joined room, reaches the socket every time, as if the join had run at once: broadcasts go only
 * to the loops with members in their rooms, and a join still queued for a loop must count as one.
 */
class JoinThenEmitTest {
  private static final int ROUNDS = 400;

  private TestServer server;
  private JavaClients clients;
  private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
  private final List<ClientRecorder> recorders = new ArrayList<>();

  @BeforeEach
  void start() {
    Set<String> loops = ConcurrentHashMap.newKeySet();
    server = TestServer.start(io -> io.onConnection(socket -> {
      loops.add(Thread.currentThread().getName());
      socket.handshake().authField("name").ifPresent(name -> sockets.put(name, socket));
    }));
    clients = new JavaClients(server.url());
    for (int i = 0; i < 2; i++) {
      ClientRecorder client = clients.recorded("/", Mode.WEBSOCKET, Map.of("name", "c" + i)).connect();
      client.awaitConnect();
      recorders.add(client);
    }
    assertThat(loops).as("the clients are served by both event loops").hasSize(2);
  }

  @AfterEach
  void stop() {
    clients.close();
    server.close();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void socketJoinThenEmitFromTheSameThread() {
    for (int round = 0; round < ROUNDS; round++) {
      for (int c = 0; c < 2; c++) {
        String room = "same-" + c + "-" + round;
        sockets.get("c" + c).join(room);
        server.io().to(room).emit("m", round);
      }
    }
    assertEveryRoundArrives();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void socketsJoinThenEmitWithoutWaiting() {
    for (int round = 0; round < ROUNDS; round++) {
      for (int c = 0; c < 2; c++) {
        String room = "operator-" + c + "-" + round;
        server.io().in(sockets.get("c" + c).id()).socketsJoin(room);
        server.io().to(room).emit("m", round);
      }
    }
    assertEveryRoundArrives();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void joinOnOneThreadThenEmitOnAnother() throws Exception {
    SynchronousQueue<String> joined = new SynchronousQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> joiner = pool.submit(() -> {
        for (int round = 0; round < ROUNDS; round++) {
          for (int c = 0; c < 2; c++) {
            String room = "handed-" + c + "-" + round;
            sockets.get("c" + c).join(room);
            joined.put(room); // happens-before the emitting thread's take
          }
        }
        return null;
      });
      Future<?> emitter = pool.submit(() -> {
        for (int round = 0; round < ROUNDS; round++) {
          for (int c = 0; c < 2; c++) {
            server.io().to(joined.take()).emit("m", round);
          }
        }
        return null;
      });
      joiner.get(30, TimeUnit.SECONDS);
      emitter.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEveryRoundArrives();
  }

  private void assertEveryRoundArrives() {
    for (ClientRecorder client : recorders) {
      for (int round = 0; round < ROUNDS; round++) {
        assertThat(client.awaitEvent("m").integer(0)).as("round %d", round).isEqualTo(round);
      }
    }
  }
}
