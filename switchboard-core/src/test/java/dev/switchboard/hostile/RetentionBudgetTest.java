package dev.switchboard.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.sse.SseRoomOptions;
import dev.switchboard.testkit.Await;
import dev.switchboard.testkit.PollingClient;
import dev.switchboard.testkit.RawWebSocketClient;
import dev.switchboard.testkit.SseReader;
import dev.switchboard.testkit.TestServer;
import dev.switchboard.http.HttpServer;
import dev.switchboard.socketio.SocketIoServer;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Publishing far more than the room history and recovery budgets keeps memory bounded: the oldest
 * messages go first, a history or SSE resume from before them reports a gap, and a recovery from
 * before them gets a fresh session.
 */
class RetentionBudgetTest {
  private static final long ROOM_BYTES = 256 * 1024;
  private static final long RECOVERY_BYTES = 1 << 20;
  private static final long TOTAL_BYTES = 4 << 20;
  private static final String ROOM = "news";

  private final BlockingQueue<String> disconnected = new LinkedBlockingQueue<>();
  private TestServer server;
  private SocketIoServer io;
  private HttpServer http;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (http != null) {
      io.close();
      http.close();
    }
  }

  private static SocketIoOptions options() {
    return SocketIoOptions.builder()
        .history(List.of(new HistoryRule("*", 100, Duration.ofMinutes(2), ROOM_BYTES)))
        .connectionStateRecovery(new ConnectionStateRecovery(Duration.ofMinutes(2), true, RECOVERY_BYTES))
        .maxRetainedBytes(TOTAL_BYTES)
        .build();
  }

  private void startWithSse() {
    io = SocketIoServer.create(options());
    install(io);
    http = io.mountOn(HttpServer.builder().host("127.0.0.1").port(0).workerThreads(2))
        .route("/sse", io.sseRoute(SseRoomOptions.DEFAULTS))
        .build().start();
  }

  private void install(SocketIoServer io) {
    io.onConnection(socket -> {
      socket.join(ROOM);
      socket.onDisconnect((reason, description) -> disconnected.add(socket.id()));
    });
  }

  @Test
  void publishingFarMoreThanTheBudgetsKeepsRetainedBytesAndTheHeapBounded() {
    server = TestServer.start(options(), this::install);
    long heapBefore = liveHeap();
    String payload = "x".repeat(100_000);
    int rooms = 40;
    int perRoom = 50;
    for (int i = 0; i < perRoom; i++) {
      for (int room = 0; room < rooms; room++) {
        server.io().to("room-" + room).emit("big", payload, i);
        assertThat(server.io().retainedBytes()).isLessThanOrEqualTo(TOTAL_BYTES);
      }
    }
    long published = (long) rooms * perRoom * payload.length();
    long retained = server.io().retainedBytes();
    long heapGrowth = liveHeap() - heapBefore;
    System.out.printf("published %d MB: retained %d bytes (budget %d), live heap grew by %d MB%n",
        published >> 20, retained, TOTAL_BYTES, heapGrowth >> 20);
    assertThat(retained).isLessThanOrEqualTo(TOTAL_BYTES).isGreaterThan(TOTAL_BYTES / 2);
    // Without the budgets history and recovery kept two copies of all of it (about 400 MB).
    assertThat(heapGrowth).isLessThan(48L << 20);
    for (int room = 0; room < rooms; room++) {
      HistoryPage page = Await.result(server.io().history("room-" + room, 100));
      long kept = page.entries().stream().mapToLong(e -> e.argsJson().length).sum();
      assertThat(kept).as("history of room-%d", room).isLessThanOrEqualTo(ROOM_BYTES);
    }
  }

  @Test
  void aHistoryOrSseResumeFromBeforeAnEvictedMessageReportsAGap() throws Exception {
    startWithSse();
    String id;
    try (SseReader sse = SseReader.open(http.port(), "/sse?rooms=" + ROOM)) {
      io.to(ROOM).emit("small", "first");
      SseReader.Event first = sse.nextMessage(Duration.ofSeconds(5));
      assertThat(first.data()).contains("first");
      id = first.id();
    }
    StreamPosition firstPosition = Await.result(io.history(ROOM, 10)).entries().get(0).position();
    io.to(ROOM).emit("small", "second");
    assertThat(Await.result(io.history(ROOM, firstPosition, 10)).gap()).isFalse();

    flood(io, 2 * TOTAL_BYTES);

    HistoryPage page = Await.result(io.history(ROOM, firstPosition, 10));
    assertThat(page.gap()).as("the second message was evicted").isTrue();
    assertThat(page.entries()).isEmpty();
    try (SseReader resumed = SseReader.open(http.port(), "/sse?rooms=" + ROOM, Map.of("Last-Event-ID", id))) {
      assertThat(resumed.nextMessage(Duration.ofSeconds(5)).event()).isEqualTo("stream:gap");
    }
  }

  @Test
  void aRecoveryFromBeforeAnEvictedPacketGetsAFreshSession() {
    server = TestServer.start(options(), this::install);
    // Within the budget: recovered, with what was missed.
    Joined first = join(RawWebSocketClient.open(server), "40");
    server.io().to(ROOM).emit("small", "a");
    String offset = offsetOf(first.client().awaitNonPing(), "a");
    first.client().cancel();
    assertThat(Await.take(disconnected)).isEqualTo(first.sid());
    server.io().to(ROOM).emit("small", "b");
    Joined recovered = join(RawWebSocketClient.open(server), recovery(first.pid(), offset));
    assertThat(recovered.sid()).isEqualTo(first.sid());
    assertThat(recovered.pid()).isEqualTo(first.pid());
    String missed = recovered.client().awaitNonPing();
    String offsetB = offsetOf(missed, "b");

    // Past the budget: the packets it missed are gone, so it starts afresh and gets none of them.
    recovered.client().cancel();
    assertThat(Await.take(disconnected)).isEqualTo(first.sid());
    server.io().to(ROOM).emit("small", "c");
    flood(server.io(), 2 * RECOVERY_BYTES);
    Joined fresh = join(RawWebSocketClient.open(server), recovery(first.pid(), offsetB));
    assertThat(fresh.sid()).isNotEqualTo(first.sid());
    assertThat(fresh.pid()).isNotEqualTo(first.pid());
    server.io().to(ROOM).emit("small", "live");
    assertThat(fresh.client().awaitNonPing()).as("nothing replayed before live packets").contains("\"live\"");
    fresh.client().close();
  }

  private record Joined(RawWebSocketClient client, String sid, String pid) {}

  private static Joined join(RawWebSocketClient client, String connect) {
    client.send(connect);
    String answer = client.awaitNonPing();
    assertThat(answer).startsWith("40{");
    JsonNode json = PollingClient.parse(answer.substring(2));
    return new Joined(client, json.get("sid").asText(), json.get("pid").asText());
  }

  private static String recovery(String pid, String offset) {
    return "40{\"pid\":\"" + pid + "\",\"offset\":\"" + offset + "\"}";
  }

  /** The offset a client reads from an event packet {@code 42["small","<text>","<offset>"]}. */
  private static String offsetOf(String packet, String text) {
    assertThat(packet).startsWith("42[\"small\",\"" + text + "\",");
    JsonNode args = PollingClient.parse(packet.substring(2));
    return args.get(2).asText();
  }

  /** Broadcasts {@code bytes} of 100 KB messages, spread over many other rooms. */
  private static void flood(SocketIoServer io, long bytes) {
    String payload = "y".repeat(100_000);
    for (int i = 0; (long) i * payload.length() < bytes; i++) {
      io.to("flood-" + i).emit("flood", payload);
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
