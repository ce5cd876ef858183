package dev.switchboard.socketio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.ClientRecorder;
import dev.switchboard.testkit.ClientRecorder.Received;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.JavaClients.Mode;
import dev.switchboard.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Emits made on the socket's event loop after a worker thread's emits (the loop knew the worker
 * had finished) arrive after them, as a single-threaded server would send them. The listener
 * holds the loop until the worker is done, so the worker's writes are still waiting in the loop's
 * queue when the listener emits: the case where a write on the loop could overtake them.
 */
class EmitOrderTest {
  private static final int WORKER_EMITS = 200;
  private static final int ROUNDS = 20;

  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private TestServer server;
  private JavaClients clients;

  @BeforeEach
  void start() {
    server = TestServer.start(io -> io.on("connection", socket -> {
      socket.on("work", event -> {
        boolean binary = event.args().get(0).asBoolean();
        boolean broadcast = event.args().get(1).asBoolean();
        CountDownLatch emitted = new CountDownLatch(1);
        worker.execute(() -> {
          for (int i = 0; i < WORKER_EMITS; i++) {
            socket.emit("item", i, binary ? new byte[] {(byte) i} : "text");
          }
          emitted.countDown();
        });
        await(emitted);
        if (broadcast) {
          socket.join("watchers");
          io.to("watchers").emit("done", WORKER_EMITS);
        } else {
          socket.emit("done", WORKER_EMITS);
        }
      });
    }));
    clients = new JavaClients(server.url());
  }

  @AfterEach
  void stop() {
    worker.shutdownNow();
    clients.close();
    server.close();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void anEmitOnTheLoopAfterAWorkersEmitsArrivesAfterThem() {
    for (Mode mode : List.of(Mode.WEBSOCKET, Mode.POLLING)) {
      for (boolean binary : List.of(false, true)) {
        for (boolean broadcast : List.of(false, true)) {
          ClientRecorder client = clients.connected("/", mode);
          for (int round = 0; round < ROUNDS; round++) {
            client.socket().emit("work", binary, broadcast);
            List<Integer> items = new ArrayList<>();
            while (true) {
              Received received = (Received) client.next();
              if (received.name().equals("done")) {
                break;
              }
              items.add(received.integer(0));
            }
            assertThat(items)
                .as("%s, binary %s, done by %s, round %d", mode, binary, broadcast ? "broadcast" : "emit", round)
                .isEqualTo(range());
          }
          client.socket().disconnect();
        }
      }
    }
  }

  private static List<Integer> range() {
    List<Integer> range = new ArrayList<>();
    for (int i = 0; i < WORKER_EMITS; i++) {
      range.add(i);
    }
    return range;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the worker did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
