package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.TestServer;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import dev.switchboard.testkit.redis.RedisProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A mixed cluster on one Redis of the test's own: a real Node node ({@code socket.io} 4.8 with
 * {@code @socket.io/redis-adapter}, started by {@code interop/cluster/socketio-wire.test.mjs}) and
 * two Switchboard nodes on {@code --redis-wire socketio}, official clients on each, every server
 * operation run from either side, and {@code @socket.io/redis-emitter} reaching them all. The same
 * with the Node node on {@code createShardedAdapter} and the Switchboard nodes on
 * {@code socketio-sharded}, on one Redis server and on a Redis Cluster.
 *
 * <p>Every node, Node or Switchboard, answers the same control events from its clients
 * ({@code do:emit}, {@code do:fetch}, ...), so that the script drives each operation from any side.
 */
class SocketIoWireNodeTest {
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(3);

  @BeforeAll
  static void installPackages() {
    NodeRunner.ensureInstalled();
  }

  @Test
  void nodeAndSwitchboardNodesFormOneCluster() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        Member one = Member.start(redis.uri(), "sb1");
        Member two = Member.start(redis.uri(), "sb2")) {
      NodeRunner.Result result = NodeRunner.runTest("cluster/socketio-wire.test.mjs", Map.of(
          "REDIS_URL", redis.uri(),
          "SWITCHBOARD_URLS", one.server.url() + "," + two.server.url()), Duration.ofSeconds(120));
      assertThat(result.exitCode())
          .as("node --test socketio-wire.test.mjs failed; its output:%n%s", result.outputText())
          .isZero();
    }
  }

  @Test
  void nodeAndSwitchboardNodesFormOneShardedCluster() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      runSharded(redis.uri());
    }
  }

  @Test
  void nodeAndSwitchboardNodesFormOneShardedClusterOnARedisCluster() throws Exception {
    try (RedisClusterProcesses redis = RedisClusterProcesses.start(3)) {
      runSharded(redis.uri());
    }
  }

  @Test
  void nodeAndSwitchboardNodesFormOneShardedClusterWithStaticSubscriptions() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      runSharded(redis.uri(), RedisWire.SubscriptionMode.STATIC, "static");
    }
  }

  /** The mixed-cluster script with its Node node on {@code createShardedAdapter} (dynamic subscriptions). */
  private static void runSharded(String redisUri) throws Exception {
    runSharded(redisUri, RedisWire.SubscriptionMode.DYNAMIC, "dynamic");
  }

  private static void runSharded(String redisUri, RedisWire.SubscriptionMode mode, String nodeMode) throws Exception {
    RedisWire wire = RedisWire.socketIoSharded("socket.io", mode);
    try (Member one = Member.start(redisUri, "sb1", wire);
        Member two = Member.start(redisUri, "sb2", wire)) {
      NodeRunner.Result result = NodeRunner.runTest("cluster/socketio-wire.test.mjs", Map.of(
          "REDIS_URL", redisUri,
          "SHARDED", nodeMode,
          "SWITCHBOARD_URLS", one.server.url() + "," + two.server.url()), Duration.ofSeconds(120));
      assertThat(result.exitCode())
          .as("node --test socketio-wire.test.mjs (sharded) failed; its output:%n%s", result.outputText())
          .isZero();
    }
  }

  /**
   * Prints p50 / p99 of broadcasts from the Node node to a client of a Switchboard node and the
   * other way round, same-node delivery beside each ({@code socketio-wire-latency.test.mjs}).
   */
  @Test
  void crossNodeLatencyBothWays() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        Member one = Member.start(redis.uri(), "sb1");
        Member two = Member.start(redis.uri(), "sb2")) {
      NodeRunner.Result result = NodeRunner.runTest("cluster/socketio-wire-latency.test.mjs", Map.of(
          "REDIS_URL", redis.uri(),
          "SWITCHBOARD_URLS", one.server.url() + "," + two.server.url()), Duration.ofSeconds(120));
      assertThat(result.exitCode())
          .as("node --test socketio-wire-latency.test.mjs failed; its output:%n%s", result.outputText())
          .isZero();
      result.outputText().lines().filter(line -> line.contains("latency ")).forEach(System.out::println);
    }
  }

  /** A Switchboard node on the socketio wire with the control events. */
  record Member(RedisCluster cluster, TestServer server) implements AutoCloseable {
    static Member start(String redisUri, String name) {
      return start(redisUri, name, RedisWire.socketIo("socket.io"));
    }

    static Member start(String redisUri, String name, RedisWire wire) {
      RedisCluster cluster = RedisCluster.connect(RedisOptions.of(redisUri).withWire(wire));
      try {
        return new Member(cluster, TestServer.start(SocketIoOptions.builder().build(), cluster,
            io -> control(io, name)));
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
    }

    @Override
    public void close() {
      try {
        server.close();
      } finally {
        cluster.close();
      }
    }
  }

  static void control(SocketIoServer io, String name) {
    for (Namespace nsp : List.of(io.of("/"), io.of("/chat"))) {
      nsp.onServerEvent("ask", event -> event.ack(name + ":" + event.args().text(0)));
      nsp.onServerEvent("tell", event -> nsp.local().emit("told", name, event.args().get(0)));
      nsp.onConnection(socket -> {
        socket.data().put("node", name);
        socket.on("whoami", event -> event.ack(name));
        socket.on("room:join", event -> {
          String room = event.args().get(0).path("room").asText();
          socket.join(room);
          // Answered once broadcasts to the room reach this node (a room's own channel, sharded wire).
          socket.roomReady(room).thenRun(() -> event.ack(Map.of("ok", true)));
        });
        socket.on("do:emit", event -> {
          JsonNode spec = event.args().get(0);
          BroadcastOperator target = select(nsp, spec);
          if (spec.path("volatile").asBoolean()) {
            target = target.asVolatile();
          }
          Object[] args = new Object[spec.path("args").size()];
          for (int i = 0; i < args.length; i++) {
            args[i] = spec.path("args").get(i);
          }
          if (spec.path("binary").asBoolean()) {
            args = append(args, new byte[] {1, 2, 3});
          }
          target.emit(spec.path("event").asText(), args);
          event.ack("sent");
        });
        socket.on("do:fetch", event -> select(nsp, event.args().get(0)).fetchSockets()
            .thenAccept(sockets -> event.ack(sockets.stream().map(SocketIoWireNodeTest::describe).toList())));
        socket.on("do:join", event -> select(nsp, event.args().get(0)).socketsJoin(texts(event.args().get(0).path("rooms")))
            .thenRun(() -> event.ack("joined")));
        socket.on("do:leave", event -> select(nsp, event.args().get(0)).socketsLeave(texts(event.args().get(0).path("rooms")))
            .thenRun(() -> event.ack("left")));
        socket.on("do:disconnect", event -> select(nsp, event.args().get(0)).disconnectSockets(true)
            .thenRun(() -> event.ack("disconnected")));
        socket.on("do:ask", event -> nsp.serverSideEmitWithAck(ACK_TIMEOUT, "ask", event.args().get(0).path("question").asText())
            .whenComplete((answers, error) -> answer(event, answers, error)));
        socket.on("do:tell", event -> {
          nsp.serverSideEmit("tell", event.args().get(0).path("what"));
          event.ack("told");
        });
        socket.on("do:poll", event -> select(nsp, event.args().get(0)).timeout(ACK_TIMEOUT)
            .emitWithAck(event.args().get(0).path("event").asText(), event.args().get(0).path("question"))
            .whenComplete((answers, error) -> answer(event, answers, error)));
        socket.on("do:burst", event -> {
          JsonNode spec = event.args().get(0);
          burst(nsp.to(spec.path("to").asText()), spec.path("event").asText(), spec.path("count").asInt(),
              Duration.ofMillis(spec.path("everyMs").asLong()));
          event.ack("started");
        });
      });
    }
  }

  /**
   * {@code count} broadcasts of {@code event}, one every {@code every}, each with its index and the
   * wall clock (milliseconds with fractions) when it was published, from a thread of its own.
   */
  private static void burst(BroadcastOperator target, String event, int count, Duration every) {
    Thread.ofPlatform().daemon().name("burst-" + event).start(() -> {
      long next = System.nanoTime();
      for (int i = 0; i < count; i++) {
        Instant now = Instant.now();
        target.emit(event, i, now.getEpochSecond() * 1000.0 + now.getNano() / 1_000_000.0);
        next += every.toNanos();
        LockSupport.parkNanos(next - System.nanoTime());
      }
    });
  }

  private static void answer(Event event, List<Args> answers, Throwable error) {
    if (error != null) {
      event.ack(Map.of("error", String.valueOf(error.getMessage())));
    } else {
      event.ack(Map.of("answers", answers.stream().map(args -> args.get(0)).toList()));
    }
  }

  private static BroadcastOperator select(Namespace nsp, JsonNode spec) {
    String[] to = texts(spec.path("to"));
    BroadcastOperator target = to.length == 0 ? nsp : nsp.to(to);
    String[] except = texts(spec.path("except"));
    return except.length == 0 ? target : target.except(except);
  }

  private static Map<String, Object> describe(RemoteSocket socket) {
    Handshake handshake = socket.handshake();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", socket.id());
    out.put("rooms", socket.rooms());
    out.put("data", socket.data());
    out.put("auth", handshake.auth());
    out.put("query", handshake.query());
    out.put("address", handshake.address());
    out.put("issued", handshake.time().toEpochMilli());
    return out;
  }

  private static String[] texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(item -> out.add(item.asText()));
    return out.toArray(String[]::new);
  }

  private static Object[] append(Object[] args, Object more) {
    Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
    out[args.length] = more;
    return out;
  }
}
