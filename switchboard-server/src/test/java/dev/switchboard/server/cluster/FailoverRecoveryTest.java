package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.StandaloneClients;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.config.ConfigValues;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisClusterProcesses;
import dev.switchboard.testkit.redis.RedisProcess;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/**
 * Official clients moved from node to node as their node stops (the graceful stop that SIGTERM
 * runs), reconnecting through a balancer, while a publisher on the node they move to publishes to
 * their room every 20 ms: every reconnection recovers, and every client gets every message exactly
 * once. The move is repeated, on one Redis and on a Redis Cluster: 250 recoveries each in CI's
 * run, more with the system properties below.
 */
class FailoverRecoveryTest {
  /** Clients moved together; {@code -Dswitchboard.failover.clients} changes it for a heavier run. */
  private static final int CLIENTS = Integer.getInteger("switchboard.failover.clients", 50);
  /** Moves per run (each one a recovery of every client); {@code -Dswitchboard.failover.moves} changes it. */
  private static final int MOVES = Integer.getInteger("switchboard.failover.moves", 5);
  private static final Duration PUBLISH_EVERY = Duration.ofMillis(20);
  /** Messages published on each node after every client has come back to it. */
  private static final int AFTER_EACH_MOVE = 10;
  private static final String ROOM = "failover";
  private static final Map<String, String> NODE_SETTINGS = Map.of(
      "max-connections-per-user", "0", "event-rate", "0", "user-event-rate", "0");

  @Test
  void clientsMovedToAnotherNodeOnOneRedisGetEveryMessageOnce() throws Exception {
    try (RedisProcess redis = RedisProcess.start()) {
      moveClientsRepeatedly(redis.uri());
    }
  }

  @Test
  void clientsMovedToAnotherNodeOnARedisClusterGetEveryMessageOnce() throws Exception {
    try (RedisClusterProcesses redis = RedisClusterProcesses.start(3)) {
      moveClientsRepeatedly(redis.uri());
    }
  }

  /**
   * On one node without Redis, where a recovered session passes the middlewares again (the token
   * is verified): the clients' connections are dropped and they come back to the same node.
   */
  @Test
  void clientsWhoseConnectionsDropRecoverOnOneNodeWithEveryMessageOnce() throws Exception {
    try (SwitchboardApp node = SwitchboardApp.start(ServerConfig.from(settings(new ConfigValues())));
        ConnectionProxy balancer = ConnectionProxy.following(node.port());
        Publisher publisher = new Publisher()) {
      // Dropped by the balancer, a client could otherwise come back before the node noticed that
      // its connection closed, when its session is not yet kept for recovery.
      CompletableFuture<NodeRunner.Result> run = runClients(balancer, Duration.ofMillis(500));
      await().atMost(Duration.ofSeconds(60)).until(() -> run.isDone() || membersOn(node) == CLIENTS);
      assertThat(run.isDone()).as("the clients' run ended early: %s", run.isDone() ? run.join().outputText() : "").isFalse();
      publisher.moveTo(node.port());
      // A client recovers from the offset of the last packet it got: it needs one first.
      publisher.awaitMore(AFTER_EACH_MOVE);
      for (int drop = 1; drop <= MOVES; drop++) {
        int connections = CLIENTS * (drop + 1);
        balancer.dropAll();
        await().atMost(Duration.ofSeconds(30)).until(() -> run.isDone()
            || balancer.connectionsTo(0) >= connections && node.io().sockets().size() == CLIENTS + 1);
        publisher.awaitMore(AFTER_EACH_MOVE);
      }
      finish(publisher, run);
    }
  }

  private static ConfigValues settings(ConfigValues values) {
    values.set("host", "127.0.0.1", "test")
        .set("port", "0", "test")
        .set("demo", "false", "test")
        .set("jwt-secret", Clients.SECRET, "test");
    NODE_SETTINGS.forEach((key, value) -> values.set(key, value, "test"));
    return values;
  }

  private static CompletableFuture<NodeRunner.Result> runClients(ConnectionProxy balancer, Duration reconnectDelay) {
    return CompletableFuture.supplyAsync(() ->
        NodeRunner.runTest("standalone/failover-count.test.mjs", Map.of(
            "SWITCHBOARD_URL", balancer.url(),
            "SWITCHBOARD_RECONNECT_DELAY_MS", Long.toString(reconnectDelay.toMillis()),
            "SWITCHBOARD_CLIENTS", Integer.toString(CLIENTS),
            "SWITCHBOARD_MOVES", Integer.toString(MOVES),
            "SWITCHBOARD_ROOM", ROOM,
            "SWITCHBOARD_TOKEN", Clients.token("member")), Duration.ofMinutes(3)));
  }

  /** Tells the clients the last number, waits for their verdict and asserts it. */
  private static void finish(Publisher publisher, CompletableFuture<NodeRunner.Result> run) throws Exception {
    int last = publisher.finish();
    NodeRunner.Result result = run.get(3, TimeUnit.MINUTES);
    System.out.println(result.outputText());
    assertThat(result.exitCode()).as("failover-count.test.mjs failed; its output:%n%s", result.outputText()).isZero();
    assertThat(last).isGreaterThan(MOVES * AFTER_EACH_MOVE);
  }

  private static void moveClientsRepeatedly(String redisUri) throws Exception {
    List<SwitchboardApp> started = new ArrayList<>();
    SwitchboardApp current = ClusterTest.node(redisUri, NODE_SETTINGS);
    started.add(current);
    try (ConnectionProxy balancer = ConnectionProxy.following(current.port());
        Publisher publisher = new Publisher()) {
      CompletableFuture<NodeRunner.Result> run = runClients(balancer, Duration.ofMillis(50));
      SwitchboardApp first = current;
      await().atMost(Duration.ofSeconds(60)).until(() -> run.isDone() || membersOn(first) == CLIENTS);
      assertThat(run.isDone()).as("the clients' run ended early: %s", run.isDone() ? run.join().outputText() : "").isFalse();

      publisher.moveTo(current.port());
      publisher.awaitMore(AFTER_EACH_MOVE);
      for (int move = 1; move <= MOVES; move++) {
        SwitchboardApp next = ClusterTest.node(redisUri, NODE_SETTINGS);
        started.add(next);
        publisher.moveTo(next.port());
        balancer.moveTo(next.port());
        current.close();
        started.remove(current);
        current = next;
        await().atMost(Duration.ofSeconds(30)).until(() -> run.isDone() || next.io().sockets().size() == CLIENTS + 1);
        publisher.awaitMore(AFTER_EACH_MOVE);
      }
      finish(publisher, run);
    } finally {
      started.forEach(SwitchboardApp::close);
    }
  }

  /** Members of the room on {@code node}, the clients' sockets. */
  private static int membersOn(SwitchboardApp node) {
    return node.io().localRoomSizes().join().getOrDefault(ROOM, 0);
  }

  /**
   * Publishes {@code chat {n}} to the room every 20 ms from a member on one node, with n counting
   * up across nodes; every publish must be acknowledged ok.
   */
  private static final class Publisher implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private int published;
    private Socket socket;
    private java.util.concurrent.ScheduledFuture<?> task;

    /** Stops publishing on the current node, once every publish is answered, and goes on from {@code port}. */
    void moveTo(int port) throws Exception {
      pause();
      if (socket != null) {
        socket.close();
      }
      socket = IO.socket(URI.create("http://127.0.0.1:" + port), IO.Options.builder()
          .setForceNew(true).setReconnection(false).setTransports(new String[] {"websocket"})
          .setAuth(Map.of("token", Clients.token("publisher"))).build());
      CompletableFuture<Void> connected = new CompletableFuture<>();
      socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
      socket.connect();
      connected.orTimeout(10, TimeUnit.SECONDS).join();
      StandaloneClients.join(socket, ROOM);
      task = timer.scheduleAtFixedRate(this::publishNext, 0, PUBLISH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** On the timer thread. */
    private void publishNext() {
      int n = ++published;
      JSONObject request = new JSONObject(Map.of("room", ROOM, "event", "chat", "data", Map.of("n", n)));
      socket.emit("room:publish", new Object[] {request}, args -> {
        JSONObject answer = (JSONObject) args[0];
        if (answer.optBoolean("ok")) {
          acknowledged.incrementAndGet();
        } else {
          failures.add(n + ": " + answer);
        }
      });
    }

    /** Waits until {@code count} more publishes are acknowledged. */
    void awaitMore(int count) {
      int mark = acknowledged.get();
      await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() >= mark + count);
    }

    /** Stops, waits for every answer, tells the clients the last number; returns it. */
    int finish() throws Exception {
      pause();
      StandaloneClients.call(socket, "room:publish", new JSONObject(Map.of("room", ROOM, "event", "done",
          "data", Map.of("last", published))));
      return published;
    }

    private void pause() throws Exception {
      if (task == null) {
        return;
      }
      task.cancel(false);
      task = null;
      int sent = timer.submit(() -> published).get();
      await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() + failures.size() == sent);
      assertThat(failures).as("publishes not acknowledged ok").isEmpty();
    }

    @Override
    public void close() {
      timer.shutdownNow();
      if (socket != null) {
        socket.close();
      }
    }
  }
}
