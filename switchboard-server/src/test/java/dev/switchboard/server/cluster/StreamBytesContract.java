package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.assertPublished;
import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.join;
import static dev.switchboard.server.StandaloneClients.publication;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.SseReader;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The byte budgets of history and recovery hold in Redis as they do in one process: a flood of
 * large messages leaves each room's history stream and each recovery stream within its bytes (as
 * Redis measures them), a resume from before an evicted message reports a gap, and a recovery
 * from before one gets a fresh session. Run against one Redis server and a Redis Cluster.
 */
abstract class StreamBytesContract {
  static final long HISTORY_BYTES = 64 * 1024;
  static final long RECOVERY_BYTES = 256 * 1024;
  /** Fields, ids and the stream's own structures beside the messages. */
  static final long SLACK = 16 * 1024;
  /** Redis's allocator rounds a block up to its size class: a quarter more at worst. */
  static final double ALLOCATOR_ROUNDING = 1.25;
  static final int MESSAGE_BYTES = 16 * 1024;
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Map<String, String> BUDGETS = Map.of(
      "history-max-bytes", Long.toString(HISTORY_BYTES),
      "recovery-max-bytes", Long.toString(RECOVERY_BYTES));

  final Clients clients = new Clients();

  /** A node with the budgets above on the Redis under test. */
  abstract SwitchboardApp node();

  /** Commands to the Redis server that holds {@code key}. */
  abstract RedisCommands<String, String> owner(String key);

  /** The recovery stream that keeps broadcasts to {@code room} of the main namespace. */
  abstract String recoveryStream(String room);

  /** The key of a disconnected socket of the main namespace kept for recovery. */
  abstract String keptSocket(String pid);

  /** Rooms of the main namespace, each on a different shard where there are several. */
  abstract List<String> rooms(String prefix, int count);

  @AfterEach
  void closeClients() {
    clients.close();
  }

  @Test
  void aFloodOfLargeMessagesLeavesEveryStreamWithinItsBytes() throws Exception {
    SwitchboardApp node = node();
    String room = rooms("flood", 1).get(0);
    Socket alice = clients.connect(node.port(), "alice");
    join(alice, room);
    long started = System.nanoTime();
    int published = 64;
    for (int n = 1; n <= published; n++) {
      publish(alice, room, n, MESSAGE_BYTES);
    }
    long micros = (System.nanoTime() - started) / 1000 / published;

    String history = historyStream(room);
    String recovery = recoveryStream(room);
    System.out.printf("%s: %d publishes of %d bytes (%.1f MB) in %d µs each (scripts in Redis: %s);"
        + " MEMORY USAGE of the history stream %d bytes, of the recovery stream %d bytes%n",
        getClass().getSimpleName(), published, MESSAGE_BYTES, published * (double) MESSAGE_BYTES / (1 << 20), micros,
        scriptStats(history), memoryUsage(history), memoryUsage(recovery));
    assertWithin(history, HISTORY_BYTES);
    assertWithin(recovery, RECOVERY_BYTES);
    assertThat(owner(history).xlen(history)).as("history keeps the newest messages that fit")
        .isBetween(1L, HISTORY_BYTES / MESSAGE_BYTES);
  }

  /** The calls and µs per call of scripts on the server holding {@code key}. */
  private String scriptStats(String key) {
    return owner(key).info("commandstats").lines().filter(line -> line.startsWith("cmdstat_eval"))
        .map(line -> line.replaceAll(",rejected_calls.*", "")).reduce((a, b) -> a + " " + b).orElse("none");
  }

  @Test
  void streamsWrittenWithoutBudgetsAreBroughtWithinThemByTheNextPublish() throws Exception {
    SwitchboardApp node = node();
    String room = rooms("legacy", 1).get(0);
    String history = historyStream(room);
    String recovery = recoveryStream(room);
    // What a node without budgets left: entries that no list of sizes knows.
    RedisCommands<String, String> redis = owner(history);
    redis.hset(history + ":m", Map.of("e", "legacy01", "o", "20"));
    String pad = "x".repeat(MESSAGE_BYTES);
    for (int n = 1; n <= 20; n++) {
      redis.xadd(history, new XAddArgs().id(n + "-1"), Map.of("m", pad, "t", "0", "s", "0"));
      owner(recovery).xadd(recovery, Map.of("m", pad));
    }
    Socket alice = clients.connect(node.port(), "alice");
    join(alice, room);
    publish(alice, room, 21, 10);
    assertWithin(history, HISTORY_BYTES);
    assertWithin(recovery, RECOVERY_BYTES);
    JSONObject since = call(alice, "history", new JSONObject().put("room", room).put("since", "legacy01:5"));
    assertThat(since.getBoolean("gap")).isTrue();
    assertThat(since.getJSONArray("messages").length()).isEqualTo(1);
  }

  @Test
  void aResumeFromBeforeAnEvictedMessageReportsAGap() throws Exception {
    SwitchboardApp node = node();
    String room = rooms("resume", 1).get(0);
    Socket alice = clients.connect(node.port(), "alice");
    join(alice, room);
    String first = publish(alice, room, 1, 10).getString("position");
    for (int n = 2; n <= 10; n++) {
      publish(alice, room, n, MESSAGE_BYTES);
    }
    JSONObject since = call(alice, "history", new JSONObject().put("room", room).put("since", first));
    assertThat(since.getBoolean("ok")).as(since.toString()).isTrue();
    assertThat(since.getBoolean("gap")).as("message 2 was evicted to keep the room within its bytes").isTrue();
    assertThat(since.getJSONArray("messages").getJSONObject(0).getJSONObject("data").getInt("n")).isGreaterThan(2);
    try (SseReader resumed = SseReader.open(node.port(), "/sse?rooms=" + room,
        Map.of("Authorization", "Bearer " + Clients.token("dave"), "Last-Event-ID", room + "@" + first))) {
      assertThat(resumed.next(WAIT).event()).isEqualTo("stream:gap");
    }
  }

  @Test
  void aRecoveryFromBeforeAnEvictedPacketGetsAFreshSession() throws Exception {
    SwitchboardApp node = node();
    String room = rooms("evicted", 1).get(0);
    assertThat(recoverAfter(node, List.of(room), 4)).as("what was missed fits the budget").isTrue();
    assertThat(recoverAfter(node, List.of(room), 40)).as("the oldest missed packets were evicted").isFalse();
  }

  /**
   * Publishes {@code perRoom} large messages to each of {@code rooms} while a client in all of them
   * is away, then lets it come back; answers whether its session was recovered.
   */
  boolean recoverAfter(SwitchboardApp node, List<String> rooms, int perRoom) throws Exception {
    Socket bob = clients.connect(node.port(), "bob");
    for (String room : rooms) {
      join(bob, room);
    }
    try (ConnectionProxy proxy = ConnectionProxy.roundRobin(node.port())) {
      RecoveringClient erin = RecoveringClient.connect(proxy.port(), Map.of("token", Clients.token("erin")));
      for (String room : rooms) {
        join(erin.socket(), room);
      }
      publish(bob, rooms.get(0), 0, 10);
      assertThat(erin.next()).isNotNull();
      String pid = erin.pid();
      String offset = erin.offset();
      String sid = erin.id();
      proxy.close();
      erin.close();
      await().atMost(WAIT).until(() -> owner(keptSocket(pid)).exists(keptSocket(pid)) == 1L);
      for (int n = 1; n <= perRoom; n++) {
        for (String room : rooms) {
          publish(bob, room, n, MESSAGE_BYTES);
        }
      }
      RecoveringClient back = RecoveringClient.connect(node.port(),
          Map.of("token", Clients.token("erin"), "pid", pid, "offset", offset));
      try {
        boolean recovered = node.io().sockets().get(back.id()).recovered();
        assertThat(back.id().equals(sid)).isEqualTo(recovered);
        if (recovered) {
          for (int i = 0; i < perRoom * rooms.size(); i++) {
            back.next();
          }
        }
        return recovered;
      } finally {
        back.close();
        bob.close();
      }
    }
  }

  static String historyStream(String room) {
    return "sb:h:{1:/" + room + "}";
  }

  /** The stream holds at most {@code budget} bytes by its counter, by its entries and as Redis measures it. */
  void assertWithin(String stream, long budget) {
    RedisCommands<String, String> redis = owner(stream);
    assertThat(memoryUsage(stream)).as("MEMORY USAGE of %s", stream)
        .isLessThanOrEqualTo((long) (budget * ALLOCATOR_ROUNDING) + SLACK);
    long counted = Long.parseLong(redis.get(stream + ":b"));
    long entries = 0;
    for (StreamMessage<String, String> message : redis.xrange(stream, Range.create("-", "+"))) {
      // A mark of lost entries (no message) is charged the overhead alone.
      String body = message.getBody().get("m");
      entries += (body == null ? 0 : body.length()) + 32;
    }
    assertThat(counted).as("%s's counter", stream).isEqualTo(entries).isLessThanOrEqualTo(budget);
    assertThat(redis.llen(stream + ":q")).isEqualTo(redis.xlen(stream));
  }

  long memoryUsage(String key) {
    StringCodec codec = StringCodec.UTF8;
    Long bytes = owner(key).dispatch(CommandType.MEMORY, new IntegerOutput<>(codec),
        new CommandArgs<>(codec).add("USAGE").addKey(key).add("SAMPLES").add(0));
    return bytes == null ? 0 : bytes;
  }

  static JSONObject publish(Socket socket, String room, int n, int bytes) throws Exception {
    return assertPublished(socket, publication(room, "chat", new JSONObject().put("n", n).put("pad", "x".repeat(bytes))));
  }
}
