package dev.switchboard.server.cluster;

import static dev.switchboard.server.StandaloneClients.call;
import static dev.switchboard.server.StandaloneClients.join;
import static dev.switchboard.server.StandaloneClients.publishNumber;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.SseReader;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Room history and connection state recovery kept in Redis streams: positions, SSE resumes and
 * recoveries mean the same on every node, and survive a node's restart.
 */
class SharedHistoryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Nodes nodes = new Nodes();
  private final Clients clients = new Clients();
  private RedisProcess redis;

  @BeforeEach
  void startRedis() throws Exception {
    redis = nodes.redis(RedisProcess.start());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      clients.close();
    } finally {
      nodes.close();
    }
  }

  private SwitchboardApp node() {
    return nodes.add(ClusterTest.node(redis.uri(), Map.of()));
  }

  @Test
  void historyAnswersTheSameOnEveryNodeWithOneOffsetSequence() throws Exception {
    SwitchboardApp nodeA = node();
    SwitchboardApp nodeB = node();
    Socket alice = clients.connect(nodeA.port(), "alice");
    Socket bob = clients.connect(nodeB.port(), "bob");
    join(alice, "lobby");
    join(bob, "lobby");
    for (int i = 1; i <= 6; i++) {
      publishNumber(i % 2 == 0 ? alice : bob, "lobby", i);
    }

    JSONObject fromA = call(alice, "history", new JSONObject().put("room", "lobby"));
    JSONObject fromB = call(bob, "history", new JSONObject().put("room", "lobby"));
    assertThat(fromA.getBoolean("ok")).as(fromA.toString()).isTrue();
    assertThat(fromA.getJSONArray("messages").toString()).isEqualTo(fromB.getJSONArray("messages").toString());
    assertThat(fromA.getString("head")).isEqualTo(fromB.getString("head"));
    JSONArray messages = fromA.getJSONArray("messages");
    String epoch = fromA.getString("head").split(":")[0];
    for (int i = 0; i < 6; i++) {
      assertThat(messages.getJSONObject(i).getString("position")).isEqualTo(epoch + ":" + (i + 1));
      assertThat(messages.getJSONObject(i).getJSONObject("data").getInt("n")).isEqualTo(i + 1);
    }

    JSONObject sinceOnB = call(bob, "history", new JSONObject().put("room", "lobby").put("since", epoch + ":4"));
    assertThat(sinceOnB.getBoolean("gap")).isFalse();
    assertThat(numbers(sinceOnB.getJSONArray("messages"))).containsExactly(5, 6);
    JSONObject otherEpoch = call(alice, "history", new JSONObject().put("room", "lobby").put("since", "elsewhere:4"));
    assertThat(otherEpoch.getBoolean("gap")).isTrue();
  }

  @Test
  void sseStreamResumesOnTheOtherNodeWithExactlyWhatItMissed() throws Exception {
    SwitchboardApp nodeA = node();
    SwitchboardApp nodeB = node();
    Socket bob = clients.connect(nodeB.port(), "bob");
    join(bob, "news");
    String lastId;
    try (SseReader first = SseReader.open(nodeA.port(), "/sse?rooms=news", bearer("dave"))) {
      assertThat(first.status()).isEqualTo(200);
      await().atMost(WAIT).until(() -> nodeA.io().localRoomSizes().join().getOrDefault("news", 0) == 1);
      publishNumber(bob, "news", 1);
      publishNumber(bob, "news", 2);
      List<SseReader.Event> live = first.next(2, WAIT);
      assertThat(live).extracting(SseReader.Event::data).containsExactly("{\"n\":1}", "{\"n\":2}");
      lastId = live.get(1).id();
    }
    for (int n = 3; n <= 5; n++) {
      publishNumber(bob, "news", n);
    }
    try (SseReader resumed = SseReader.open(nodeB.port(), "/sse?rooms=news", bearer("dave", "Last-Event-ID", lastId))) {
      List<SseReader.Event> missed = resumed.next(3, WAIT);
      assertThat(missed).extracting(SseReader.Event::event).containsOnly("chat");
      assertThat(missed).extracting(SseReader.Event::data).containsExactly("{\"n\":3}", "{\"n\":4}", "{\"n\":5}");
      publishNumber(bob, "news", 6);
      SseReader.Event live = resumed.next(WAIT);
      assertThat(live.data()).isEqualTo("{\"n\":6}");
      assertThat(resumed.drain()).isEmpty();
    }
  }

  @Test
  void aDroppedClientRecoversOnTheOtherNodeWithWhatItMissedOnceAndInOrder() throws Exception {
    SwitchboardApp nodeA = node();
    SwitchboardApp nodeB = node();
    NodeRunner.Result result = NodeRunner.runTest("standalone/cluster-recovery.test.mjs", Map.of(
        "SWITCHBOARD_URL_FROM", url(nodeA),
        "SWITCHBOARD_URL_PUBLISH", url(nodeB),
        "SWITCHBOARD_URL_TO", url(nodeB),
        "SWITCHBOARD_DROP", "client",
        "SWITCHBOARD_TOKEN_ALICE", Clients.token("alice"),
        "SWITCHBOARD_TOKEN_BOB", Clients.token("bob")), Duration.ofSeconds(60));
    assertThat(result.exitCode()).as("cluster-recovery.test.mjs failed; its output:%n%s", result.outputText()).isZero();
  }

  @Test
  void aClientOfAStoppedNodeRecoversOnTheNodeStartedInItsPlace() throws Exception {
    SwitchboardApp nodeA = node();
    SwitchboardApp nodeB = node();
    Path toFile = Files.createTempFile("switchboard-restarted", ".url");
    try {
      CompletableFuture<NodeRunner.Result> run = CompletableFuture.supplyAsync(() ->
          NodeRunner.runTest("standalone/cluster-recovery.test.mjs", Map.of(
              "SWITCHBOARD_URL_FROM", url(nodeA),
              "SWITCHBOARD_URL_PUBLISH", url(nodeB),
              "SWITCHBOARD_URL_TO_FILE", toFile.toString(),
              "SWITCHBOARD_DROP", "server",
              "SWITCHBOARD_ROOM", "restart",
              "SWITCHBOARD_TOKEN_ALICE", Clients.token("alice"),
              "SWITCHBOARD_TOKEN_BOB", Clients.token("bob")), Duration.ofSeconds(60)));
      // Stopped once the three first messages are in the room's history (whether alice has them all or not).
      await().atMost(Duration.ofSeconds(30)).until(() -> nodeA.io().history("restart", 10).join().entries().size() == 3);
      nodes.remove(nodeA);
      nodeA.close();
      SwitchboardApp restarted = node();
      Files.writeString(toFile, url(restarted));
      NodeRunner.Result result = run.get(90, TimeUnit.SECONDS);
      assertThat(result.exitCode()).as("cluster-recovery.test.mjs failed; its output:%n%s", result.outputText()).isZero();
    } finally {
      Files.deleteIfExists(toFile);
    }
  }

  @Test
  void withRedisStoppedLocalMembersStillGetMessagesAndAResumeAfterwardsReportsTheGap() throws Exception {
    SwitchboardApp nodeA = node();
    Socket alice = clients.connect(nodeA.port(), "alice");
    Socket carol = clients.connect(nodeA.port(), "carol");
    join(alice, "ops");
    join(carol, "ops");
    var carolInbox = StandaloneClients.inbox(carol, "chat");
    publishNumber(alice, "ops", 1);
    assertThat(carolInbox.poll(10, TimeUnit.SECONDS)).isNotNull();
    String before = call(alice, "history", new JSONObject().put("room", "ops")).getString("head");

    redis.kill();
    publishNumber(alice, "ops", 2);
    Object[] duringOutage = carolInbox.poll(10, TimeUnit.SECONDS);
    assertThat(duringOutage).as("a local member gets a message published while Redis is away").isNotNull();
    assertThat(((JSONObject) duringOutage[0]).getInt("n")).isEqualTo(2);

    redis.startAgain();
    await().atMost(WAIT).until(() -> !nodeA.cluster().orElseThrow().health().down()
        || call(alice, "history", new JSONObject().put("room", "ops")).getBoolean("ok"));
    await().atMost(WAIT).until(() -> {
      JSONObject answer = call(alice, "room:publish", new JSONObject().put("room", "ops").put("event", "chat")
          .put("data", new JSONObject().put("n", 3)));
      return answer.getBoolean("ok");
    });
    JSONObject resumed = call(alice, "history", new JSONObject().put("room", "ops").put("since", before));
    assertThat(resumed.getBoolean("gap")).as("the message kept by no one is reported as a gap: " + resumed).isTrue();

    // An SSE stream resuming from before the outage is told so too.
    try (SseReader stream = SseReader.open(nodeA.port(), "/sse?rooms=ops",
        bearer("dave", "Last-Event-ID", "ops@" + before.replace(':', '.')))) {
      SseReader.Event first = stream.next(WAIT);
      assertThat(first.event()).isEqualTo("stream:gap");
    }
  }

  @Test
  void keptPublishLatencyInClusterModeAgainstUnkept() throws Exception {
    SwitchboardApp nodeA = node();
    SwitchboardApp nodeB = node();
    Socket same = clients.connect(nodeA.port(), "same");
    Socket cross = clients.connect(nodeB.port(), "cross");
    for (String room : List.of("kept", "unkept")) {
      join(same, room);
      join(cross, room);
    }
    // A volatile broadcast is neither kept in history nor for recovery: the unkept baseline, sent
    // interleaved with the kept ones so both see the same load. Volatile messages may be dropped
    // when a socket cannot take them at once, so only the kept ones must all arrive.
    int total = WARMUP + MESSAGES;
    long[][] latencies = new long[4][total];
    for (long[] row : latencies) {
      Arrays.fill(row, -1);
    }
    CountDownLatch kept = new CountDownLatch(2 * total);
    CountDownLatch unkept = new CountDownLatch(2 * total);
    same.on("kept", args -> record(args, latencies[0], kept));
    cross.on("kept", args -> record(args, latencies[1], kept));
    same.on("unkept", args -> record(args, latencies[2], unkept));
    cross.on("unkept", args -> record(args, latencies[3], unkept));
    for (int i = 0; i < total; i++) {
      nodeA.io().to("kept").emit("kept", i, System.nanoTime());
      nodeA.io().to("unkept").asVolatile().emit("unkept", i, System.nanoTime());
      long next = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
      while (System.nanoTime() < next) {
        Thread.onSpinWait(); // 500 messages per second of each kind
      }
    }
    assertThat(kept.await(30, TimeUnit.SECONDS)).as("every kept message arrived on both nodes").isTrue();
    unkept.await(5, TimeUnit.SECONDS); // what is still coming; a dropped volatile message never does
    for (int i = 0; i < latencies.length; i++) {
      latencies[i] = Arrays.stream(latencies[i], WARMUP, total).filter(latency -> latency >= 0).sorted().toArray();
    }
    System.out.printf("over %d messages each: kept publish same node p50 %.2f ms p99 %.2f ms, cross node p50 %.2f ms"
        + " p99 %.2f ms; unkept (volatile, %d and %d arrived) same node p50 %.2f ms p99 %.2f ms, cross node p50 %.2f ms"
        + " p99 %.2f ms%n", MESSAGES,
        ms(latencies[0], 0.5), ms(latencies[0], 0.99), ms(latencies[1], 0.5), ms(latencies[1], 0.99),
        latencies[2].length, latencies[3].length,
        ms(latencies[2], 0.5), ms(latencies[2], 0.99), ms(latencies[3], 0.5), ms(latencies[3], 0.99));
    assertThat(ms(latencies[1], 0.99)).as("kept cross-node p99 in ms").isLessThan(250);
  }

  private static final int WARMUP = 300;
  private static final int MESSAGES = 1000;

  private static void record(Object[] args, long[] latencies, CountDownLatch done) {
    long now = System.nanoTime();
    latencies[((Number) args[0]).intValue()] = now - ((Number) args[1]).longValue();
    done.countDown();
  }

  private static double ms(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
  }

  private static List<Integer> numbers(JSONArray messages) throws Exception {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < messages.length(); i++) {
      out.add(messages.getJSONObject(i).getJSONObject("data").getInt("n"));
    }
    return out;
  }

  /** Request headers authenticating {@code user}, and {@code more} name/value pairs. */
  private static Map<String, String> bearer(String user, String... more) {
    Map<String, String> headers = new java.util.HashMap<>();
    headers.put("Authorization", "Bearer " + Clients.token(user));
    for (int i = 0; i + 1 < more.length; i += 2) {
      headers.put(more[i], more[i + 1]);
    }
    return headers;
  }

  private static String url(SwitchboardApp node) {
    return "http://127.0.0.1:" + node.port();
  }
}
