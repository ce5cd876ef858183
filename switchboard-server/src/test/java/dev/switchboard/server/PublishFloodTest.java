package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
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
  private final List<Socket> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    app = SwitchboardApp.start(ServerConfig.from(new ConfigValues().set("port", "0", "test").set("host", "127.0.0.1", "test")
        .set("max-retained-bytes", String.valueOf(MAX_RETAINED), "test")));
  }

  @AfterEach
  void stop() {
    clients.forEach(Socket::close);
    app.close();
  }

  @Test
  void retainedBytesAndHeapStayBoundedWhileBystandersAreServed() throws Exception {
    String payload = "x".repeat(900_000);
    Socket alice = connect();
    Socket bob = connect();
    BlockingQueue<Object[]> bobInbox = new LinkedBlockingQueue<>();
    bob.on("chat", bobInbox::add);
    call(alice, "room:join", new JSONObject().put("room", "lobby"));
    call(bob, "room:join", new JSONObject().put("room", "lobby"));
    List<Socket> flooders = new ArrayList<>();
    for (int p = 0; p < PUBLISHERS; p++) {
      Socket socket = connect();
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
            JSONObject answer = call(socket, "room:publish", publish(room, "big", payload));
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
    assertThat(poll(bobInbox)).isNotNull();

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

  private Socket connect() {
    IO.Options options = IO.Options.builder().setForceNew(true).setTransports(new String[] {"websocket"}).build();
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + app.port()), options);
    clients.add(socket);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    socket.connect();
    connected.orTimeout(5, TimeUnit.SECONDS).join();
    return socket;
  }

  private static JSONObject call(Socket socket, String event, Object payload) {
    CompletableFuture<JSONObject> answer = new CompletableFuture<>();
    socket.emit(event, new Object[] {payload}, args -> answer.complete((JSONObject) args[0]));
    // Generous: with the leak detector at paranoid, a 900 KB publish takes seconds on a busy machine.
    return answer.orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static JSONObject publish(String room, String event, Object data) {
    try {
      return new JSONObject().put("room", room).put("event", event).put("data", data);
    } catch (org.json.JSONException e) {
      throw new AssertionError(e);
    }
  }

  private static Object[] poll(BlockingQueue<Object[]> queue) {
    try {
      return queue.poll(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
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
