package dev.switchboard.server.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.JavaClients;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.Ack;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks of two standalone nodes on a real Redis, sending to one receiver: when one user's
 * sockets on both nodes enter and leave the same rooms at the same moment, round after round, each
 * room is reported occupied once and vacated once, and the user's presence joined once and left
 * once, each by one node.
 */
class WebhookClusterTest {
  private static final String SECRET = "webhook-cluster-test-signing-secret";
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int ROUNDS = 30;
  private static final int ROOMS_PER_ROUND = 10;

  private RedisProcess redis;
  private WebhookReceiver receiver;
  private SwitchboardApp a;
  private SwitchboardApp b;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    redis = RedisProcess.start();
    receiver = WebhookReceiver.start();
    a = node();
    b = node();
  }

  @AfterEach
  void stop() {
    sockets.forEach(Socket::close);
    for (SwitchboardApp node : new SwitchboardApp[] {a, b}) {
      if (node != null) {
        node.close();
      }
    }
    receiver.close();
    redis.close();
  }

  private SwitchboardApp node() {
    return node(redis.uri());
  }

  private SwitchboardApp node(String redisUri) {
    return TestApps.start(Map.of("demo", "false", "redis", redisUri, "jwt-secret", WebhookServerTest.JWT_SECRET,
        "event-rate", "0", "user-event-rate", "0",
        "webhook-url", receiver.url().toString(), "webhook-secret", SECRET, "webhook-batch-delay", "5ms"));
  }

  private Socket connect(SwitchboardApp node, String user) {
    IO.Options options = JavaClients.options(JavaClients.Mode.WEBSOCKET);
    options.auth = Map.of("token", WebhookServerTest.token(user, Duration.ofHours(1)));
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + node.port()), options);
    sockets.add(socket);
    return JavaClients.connectNow(socket);
  }

  /** Asks {@code socket} to {@code event} each of {@code rooms} without waiting in between; completes with every answer. */
  private static CompletableFuture<List<Object>> each(Socket socket, String event, List<String> rooms) {
    List<CompletableFuture<Object>> answers = new ArrayList<>();
    for (String room : rooms) {
      CompletableFuture<Object> answer = new CompletableFuture<>();
      socket.emit(event, new Object[] {new JSONObject(Map.of("room", room))}, (Ack) args -> answer.complete(args[0]));
      answers.add(answer);
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .thenApply(done -> answers.stream().map(CompletableFuture::join).toList());
  }

  private List<JsonNode> of(String type, String room) {
    return receiver.distinct().stream().filter(event -> event.path("type").asText().equals(type)
        && event.path("data").path("room").asText().equals(room)).toList();
  }

  @Test
  void everyRaceOfTwoNodesOccupiesAndVacatesEachRoomOnce() throws Exception {
    race(a, b, ROUNDS);
  }

  @Test
  void onARedisClusterToo() throws Exception {
    try (RedisClusterProcesses cluster = RedisClusterProcesses.start(3)) {
      SwitchboardApp c = node(cluster.uri());
      SwitchboardApp d = node(cluster.uri());
      try {
        race(c, d, 10);
      } finally {
        sockets.forEach(Socket::close);
        sockets.clear();
        c.close();
        d.close();
      }
    }
  }

  /** One user's sockets on both nodes join the same rooms at once, then leave them at once, round after round. */
  private void race(SwitchboardApp a, SwitchboardApp b, int rounds) throws Exception {
    Socket onA = connect(a, "twin");
    Socket onB = connect(b, "twin");
    List<String> all = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
      String prefix = "race:" + round + ":";
      List<String> rooms = IntStream.range(0, ROOMS_PER_ROUND).mapToObj(i -> prefix + i).toList();
      all.addAll(rooms);
      CompletableFuture<List<Object>> joinedA = each(onA, "room:join", rooms);
      CompletableFuture<List<Object>> joinedB = each(onB, "room:join", rooms.reversed());
      assertThat(joinedA.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
          .allSatisfy(answer -> assertThat(answer.toString()).contains("\"ok\":true"));
      assertThat(joinedB.get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS))
          .allSatisfy(answer -> assertThat(answer.toString()).contains("\"ok\":true"));
      CompletableFuture.allOf(each(onA, "room:leave", rooms), each(onB, "room:leave", rooms.reversed()))
          .get(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }
    await().atMost(WAIT).untilAsserted(() -> assertThat(all.stream().filter(room -> of("room.vacated", room).size() != 1
        || of("presence.leave", room).size() != 1).map(room -> room + ": " + of("room.occupied", room).size() + " occupied, "
        + of("room.vacated", room).size() + " vacated, " + of("presence.join", room).size() + " joined, "
        + of("presence.leave", room).size() + " left")).as("rooms not yet vacated and left once").isEmpty());
    assertThat(a.io().settled()).succeedsWithin(WAIT);
    assertThat(b.io().settled()).succeedsWithin(WAIT);

    List<String> nodes = new ArrayList<>();
    for (String room : all) {
      List<JsonNode> occupancy = new ArrayList<>(of("room.occupied", room));
      occupancy.addAll(of("room.vacated", room));
      occupancy.sort(Comparator.comparingLong(event -> event.path("data").path("sequence").asLong()));
      assertThat(occupancy).as("occupancy of %s", room).extracting(event -> event.path("type").asText())
          .containsExactly("room.occupied", "room.vacated");
      assertThat(of("presence.join", room)).as("presence.join of %s", room).hasSize(1);
      assertThat(of("presence.leave", room)).as("presence.leave of %s", room).hasSize(1)
          .allSatisfy(event -> assertThat(event.path("data").path("member").path("id").asText()).isEqualTo("twin"));
      occupancy.forEach(event -> nodes.add(event.path("node").asText()));
    }
    assertThat(nodes).as("changes are decided by both nodes").containsOnly(a.cluster().orElseThrow().nodeId(),
        b.cluster().orElseThrow().nodeId()).contains(a.cluster().orElseThrow().nodeId(), b.cluster().orElseThrow().nodeId());
    assertThat(receiver.delivered()).as("nothing sent twice").hasSameSizeAs(receiver.distinct());
    assertThat(a.webhooks().stats().failed() + b.webhooks().stats().failed()).isZero();
  }
}
