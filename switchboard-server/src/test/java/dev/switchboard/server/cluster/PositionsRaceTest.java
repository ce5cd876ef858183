package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.SseReader;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Publishers on several event loops (and nodes) publish to one room at once, without waiting for
 * their answers: every message gets its own position, offsets run without holes in one epoch, each
 * member and SSE stream receives them in offset order, and the position a member reads in
 * {@code meta} is the one its publisher was answered.
 */
class PositionsRaceTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int PUBLISHERS = 4;
  private static final int PER_PUBLISHER = 100;

  private final Nodes nodes = new Nodes();
  private final Clients clients = new Clients();

  @AfterEach
  void stop() throws Exception {
    try {
      clients.close();
    } finally {
      nodes.close();
    }
  }

  @RepeatedTest(3)
  void concurrentPublishersOnOneNodeGetDistinctContiguousPositionsInDeliveryOrder() throws Exception {
    SwitchboardApp node = TestApps.start(Map.of("demo", "false", "jwt-secret", Clients.SECRET,
        "event-rate", "0", "user-event-rate", "0", "history-max-length", "1000"));
    nodes.add(node);
    race(node, node);
  }

  @RepeatedTest(3)
  void withoutRecoveryToo() throws Exception {
    SwitchboardApp node = TestApps.start(Map.of("demo", "false", "jwt-secret", Clients.SECRET,
        "event-rate", "0", "user-event-rate", "0", "history-max-length", "1000", "connection-state-recovery", "false"));
    nodes.add(node);
    race(node, node);
  }

  @Test
  void concurrentPublishersOnTwoNodesGetDistinctContiguousPositionsInDeliveryOrder() throws Exception {
    RedisProcess process = nodes.redis(RedisProcess.start());
    Map<String, String> config = Map.of("event-rate", "0", "user-event-rate", "0", "history-max-length", "1000");
    SwitchboardApp nodeA = ClusterTest.node(process.uri(), config);
    nodes.add(nodeA);
    SwitchboardApp nodeB = ClusterTest.node(process.uri(), config);
    nodes.add(nodeB);
    race(nodeA, nodeB);
  }

  private void race(SwitchboardApp a, SwitchboardApp b) throws Exception {
    int total = PUBLISHERS * PER_PUBLISHER;
    Socket reader = clients.connect(b.port(), "reader");
    BlockingQueue<JSONObject[]> received = new LinkedBlockingQueue<>();
    reader.on("chat", args -> received.add(new JSONObject[] {(JSONObject) args[0], (JSONObject) args[1]}));
    join(reader, "race");
    List<Socket> publishers = new ArrayList<>();
    int membersOnB = 1;
    for (int p = 0; p < PUBLISHERS; p++) {
      SwitchboardApp node = p % 2 == 0 ? a : b;
      membersOnB += node == b ? 1 : 0;
      Socket publisher = clients.connect(node.port(), "publisher" + p);
      join(publisher, "race");
      publishers.add(publisher);
    }
    try (SseReader stream = SseReader.open(b.port(), "/sse?rooms=race",
        Map.of("Authorization", "Bearer " + Clients.token("watcher")))) {
      assertThat(stream.status()).isEqualTo(200);
      int withStream = membersOnB + 1;
      await().atMost(WAIT).until(() -> b.io().localRoomSizes().join().getOrDefault("race", 0) == withStream);

      Map<String, String> answered = new ConcurrentHashMap<>();
      List<CompletableFuture<Void>> answers = new ArrayList<>();
      for (int n = 0; n < PER_PUBLISHER; n++) {
        for (int p = 0; p < PUBLISHERS; p++) {
          String key = p + "/" + n;
          CompletableFuture<Void> done = new CompletableFuture<>();
          answers.add(done);
          publishers.get(p).emit("room:publish", new Object[] {new JSONObject().put("room", "race").put("event", "chat")
              .put("data", new JSONObject().put("key", key))}, args -> {
                answered.put(key, ((JSONObject) args[0]).optString("position"));
                done.complete(null);
              });
        }
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);

      Set<String> positions = new HashSet<>(answered.values());
      assertThat(positions).as("one position per message").hasSize(total);
      String epoch = epoch(positions.iterator().next());
      assertThat(positions).allSatisfy(position -> assertThat(epoch(position)).isEqualTo(epoch));
      long first = positions.stream().mapToLong(PositionsRaceTest::offset).min().orElseThrow();
      long last = positions.stream().mapToLong(PositionsRaceTest::offset).max().orElseThrow();
      assertThat(last - first).as("offsets without holes").isEqualTo(total - 1);

      long previous = first - 1;
      for (int i = 0; i < total; i++) {
        JSONObject[] message = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(message).as("message %d of %d at the reader", i + 1, total).isNotNull();
        String position = message[1].getString("position");
        assertThat(position).as("meta.position is the publisher's answer").isEqualTo(answered.get(message[0].getString("key")));
        assertThat(offset(position)).as("delivered in offset order").isEqualTo(previous + 1);
        previous = offset(position);
      }
      Map<String, Long> sseOffsets = new HashMap<>();
      long sseLast = first - 1;
      for (int i = 0; i < total; i++) {
        SseReader.Event event = stream.next(WAIT);
        if (!"chat".equals(event.event())) {
          i--; // presence notices share the stream
          continue;
        }
        long offset = -1;
        for (String cursor : event.id().split(",")) {
          if (cursor.startsWith("race@")) {
            offset = offset(cursor.substring("race@".length()));
          }
        }
        assertThat(offset).as("SSE ids in offset order").isEqualTo(sseLast + 1);
        sseLast = offset;
        sseOffsets.put(new JSONObject(event.data()).getString("key"), offset);
      }
      answered.forEach((key, position) -> assertThat(sseOffsets.get(key)).as(key).isEqualTo(offset(position)));
    }
  }

  private static String epoch(String position) {
    return position.substring(0, position.lastIndexOf(':'));
  }

  private static long offset(String position) {
    return Long.parseLong(position.substring(position.lastIndexOf(':') + 1));
  }
}
