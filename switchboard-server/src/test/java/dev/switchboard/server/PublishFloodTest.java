package dev.switchboard.server;

import static dev.switchboard.server.StandaloneClients.inbox;
import static dev.switchboard.server.StandaloneClients.publication;
import static org.assertj.core.api.Assertions.assertThat;

import io.socket.client.Socket;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Anonymous clients in open mode, each alone in its own room, publish 900 KB messages (few of
 * them: with the leak detector at paranoid, every big message costs the test seconds): what the server keeps for history and recovery stays within
 * {@code max-retained-bytes}, the heap does not grow with what was published, and a bystander's
 * messages still go through.
 */
class PublishFloodTest {
  private static final long MAX_RETAINED = 2L << 20;
  private static final int PUBLISHERS = 6;
  private static final int MESSAGES_EACH = 3;

  private SwitchboardApp app;
  private final StandaloneClients clients = new StandaloneClients(() -> app.port());

  @BeforeEach
  void start() {
    app = TestApps.start(Map.of("max-retained-bytes", String.valueOf(MAX_RETAINED)));
  }

  @AfterEach
  void stop() {
    clients.close();
    app.close();
  }

  @Test
  void retainedBytesAndHeapStayBoundedWhileBystandersAreServed() throws Exception {
    String payload = "x".repeat(900_000);
    Socket alice = clients.connect();
    Socket bob = clients.connect();
    BlockingQueue<Object[]> bobInbox = inbox(bob, "chat");
    call(alice, "room:join", new JSONObject().put("room", "lobby"));
    call(bob, "room:join", new JSONObject().put("room", "lobby"));
    List<Socket> flooders = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      Socket socket = clients.connect();
      assertThat(call(socket, "room:join", new JSONObject().put("room", "flood-" + p)).getBoolean("ok")).isTrue();
      flooders.add(socket);
    }
    long heapBefore = liveHeap();
    long startNanos = System.nanoTime();
    List<CompletableFuture<Void>> publishers = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      Socket socket = flooders.get(p);
      String room = "flood-" + p;
      CompletableFuture<Void> done = new CompletableFuture<>();
      Thread.ofPlatform().name("publisher-" + p).start(() -> {
        try {
          for (int i = 0; i < MESSAGES_EACH; i++) {
            JSONObject answer = call(socket, "room:publish", publication(room, "big", payload));
            assertThat(answer.optBoolean("ok")).as("publish %d to %s: %s", i, room, answer).isTrue();
          }
          done.complete(null);
        } catch (Throwable e) {
          done.completeExceptionally(e);
        }
      });
      publishers.add(done);
    }
    CompletableFuture.allOf(publishers.toArray(CompletableFuture[]::new)).orTimeout(120, TimeUnit.SECONDS).join();

    assertThat(call(alice, "room:publish", new JSONObject().put("room", "lobby").put("event", "chat").put("data", "hi"))
        .getBoolean("ok")).isTrue();
    assertThat(bobInbox.poll(5, TimeUnit.SECONDS)).isNotNull();

    long published = (long) PUBLISHERS * MESSAGES_EACH * payload.length();
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    long retained = app.io().retainedBytes();
    long heapGrowth = liveHeap() - heapBefore;
    System.out.printf("published %d MB in 900 KB messages in %d ms: retained %d bytes (max-retained-bytes %d),"
        + " live heap grew by %d MB%n", published >> 20, elapsedMillis, retained, MAX_RETAINED, heapGrowth >> 20);
    assertThat(retained).isLessThanOrEqualTo(MAX_RETAINED);
    // Without the budgets, history and recovery each kept a copy of everything published.
    assertThat(heapGrowth).isLessThan(published / 2);
  }

  private static JSONObject call(Socket socket, String event, Object payload) {
    // Generous: with the leak detector at paranoid, a 900 KB publish takes seconds on a busy machine.
    return StandaloneClients.call(socket, event, payload, Duration.ofSeconds(30));
  }

  /** The heap in use after collections, in bytes. */
  private static long liveHeap() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
