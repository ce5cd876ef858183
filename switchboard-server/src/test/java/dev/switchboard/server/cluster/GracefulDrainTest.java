package dev.switchboard.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.history.StreamPosition;
import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.socketio.RemoteSocket;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.NodeRunner;
import dev.switchboard.testkit.redis.RedisProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The graceful drain end to end: two nodes on a real Redis, official clients (socket.io-client in
 * Node, with connection state recovery) on node A behind a balancer that sends new connections to
 * the first node whose {@code /readyz} answers 200, while a publisher on node B keeps publishing
 * numbered messages to their rooms. Node A, a process of its own, gets a real SIGTERM: it turns
 * unready, closes each connection at its turn within the window, and exits. Every client must come
 * back on node B with its session recovered and every message of its room exactly once, and with
 * presence on (as by default) no client sees a member leave or join again: one that recovers never
 * left. Prints how long the drain took and the rate of reconnections node B saw.
 */
class GracefulDrainTest {
  /** Clients on node A; {@code -Dswitchboard.drain.clients} changes it. */
  private static final int CLIENTS = Integer.getInteger("switchboard.drain.clients", 1000);
  /** Node processes the clients are spread over. */
  private static final int CLIENT_PROCESSES = 2;
  private static final int ROOMS = 10;
  /** How long a client process may run; it gives up by itself then, even when this test is gone. */
  private static final Duration CLIENT_DEADLINE = Duration.ofMinutes(3);
  /** Node A's --drain-window; {@code -Dswitchboard.drain.window} (seconds) changes it. */
  private static final Duration WINDOW = Duration.ofSeconds(Integer.getInteger("switchboard.drain.window", 10));
  private static final Duration TIMEOUT = WINDOW.plusSeconds(20);
  /** Each room gets a message this often. */
  private static final Duration PUBLISH_EVERY = Duration.ofMillis(Integer.getInteger("switchboard.drain.publishEveryMs", 500));
  private static final Pattern DRAINED = Pattern.compile("drained in (\\d+) ms: (\\d+) connections, \\d+ SSE streams, (\\d+) cut");
  private static final Map<String, String> SETTINGS = Map.of("demo", "false", "presence", System.getProperty("switchboard.drain.presence", "true"),
      "max-connections-per-user", "0", "event-rate", "0", "user-event-rate", "0");

  @Test
  void clientsOfANodeStoppedWithSigtermRecoverOnTheOtherNodeWithEveryMessageOnce() throws Exception {
    try (RedisProcess redis = RedisProcess.start();
        SwitchboardApp nodeB = nodeB(redis.uri());
        ServerProcess nodeA = ServerProcess.start(Map.of(), arguments(redis.uri()));
        ReadinessProbe probe = ReadinessProbe.of(nodeA.port(), nodeB.port());
        ConnectionProxy balancer = ConnectionProxy.routed(n -> probe.firstReady(), nodeA.port(), nodeB.port());
        Publisher publisher = new Publisher(nodeB.io())) {
      ConcurrentLinkedQueue<long[]> arrivalsOnB = new ConcurrentLinkedQueue<>();
      nodeB.io().onConnection(socket -> arrivalsOnB.add(new long[] {System.nanoTime(), socket.recovered() ? 1 : 0}));
      List<CompletableFuture<NodeRunner.Result>> runs = startClients(balancer.url());
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
          .until(() -> runs.stream().anyMatch(CompletableFuture::isDone) || membersOnA(nodeB) == CLIENTS);
      assertThat(runs).as("a client process ended early").noneMatch(CompletableFuture::isDone);
      assertThat(balancer.connectionsTo(1)).as("connections sent to node B before the drain").isZero();
      // Recovery resumes from the offset of the last packet a client got: each needs one first.
      publisher.start();
      publisher.awaitTicks(5);

      long sigterm = System.nanoTime();
      nodeA.terminate();
      await().atMost(WINDOW.plusSeconds(30)).until(() -> runs.stream().anyMatch(CompletableFuture::isDone)
          || membersOnB(nodeB) == CLIENTS);
      long allOnB = System.nanoTime();
      OptionalInt exit = nodeA.awaitExit(TIMEOUT);
      long exited = System.nanoTime();
      assertThat(exit).as("node A exits within --drain-timeout").isPresent();
      publisher.awaitTicks(5);
      int published = publisher.finish();

      List<String> outputs = new ArrayList<>();
      for (CompletableFuture<NodeRunner.Result> run : runs) {
        NodeRunner.Result result = run.get(CLIENT_DEADLINE.toMinutes() + 1, TimeUnit.MINUTES);
        outputs.add(result.outputText());
        assertThat(result.exitCode()).as("drain-recovery.test.mjs failed; its output:%n%s", result.outputText()).isZero();
      }
      outputs.stream().flatMap(String::lines).filter(line -> line.contains("RESULT")).forEach(System.out::println);

      Matcher drained = nodeA.line(DRAINED).orElseThrow(() -> new AssertionError("node A logged no drain report"));
      Reconnections reconnections = Reconnections.of(arrivalsOnB, sigterm);
      System.out.printf("DRAIN clients=%d window=%ds published=%d | node A: drained in %s ms (%s connections, %s cut),"
              + " SIGTERM to exit %d ms (exit code %d) | node B: all %d back %d ms after SIGTERM, %d recovered;"
              + " reconnections from +%d ms to +%d ms, %.0f/s on average, at most %d in one second%n",
          CLIENTS, WINDOW.toSeconds(), published, drained.group(1), drained.group(2), drained.group(3),
          TimeUnit.NANOSECONDS.toMillis(exited - sigterm), exit.getAsInt(), CLIENTS,
          TimeUnit.NANOSECONDS.toMillis(allOnB - sigterm), reconnections.recovered(), reconnections.firstMillis(),
          reconnections.lastMillis(), reconnections.averagePerSecond(), reconnections.peakPerSecond());

      assertThat(drained.group(3)).as("connections cut at the timeout").isEqualTo("0");
      assertThat(reconnections.count()).isEqualTo(CLIENTS);
      assertThat(reconnections.recovered()).isEqualTo(CLIENTS);
      // Spread over the window, not all at once.
      assertThat(reconnections.lastMillis() - reconnections.firstMillis()).isGreaterThan(WINDOW.toMillis() / 2);
      assertThat(reconnections.peakPerSecond()).isLessThan((int) (2.5 * CLIENTS / WINDOW.toSeconds()) + 20);
    } finally {
      // A failed run leaves its client processes waiting for a verdict: they are this test's to end.
      ProcessHandle.current().descendants()
          .filter(process -> process.info().commandLine().orElse("").contains("drain-recovery"))
          .forEach(ProcessHandle::destroy);
    }
  }

  private static SwitchboardApp nodeB(String redisUri) {
    Map<String, String> settings = new HashMap<>(SETTINGS);
    settings.put("redis", redisUri);
    return TestApps.start(settings);
  }

  private static String[] arguments(String redisUri) {
    List<String> args = new ArrayList<>(List.of("--redis", redisUri, "--drain-window", WINDOW.toSeconds() + "s",
        "--drain-timeout", TIMEOUT.toSeconds() + "s"));
    SETTINGS.forEach((key, value) -> {
      if (!key.equals("demo")) {
        args.addAll(List.of("--" + key, value));
      }
    });
    return args.toArray(String[]::new);
  }

  private static List<CompletableFuture<NodeRunner.Result>> startClients(String url) {
    List<CompletableFuture<NodeRunner.Result>> runs = new ArrayList<>();
    int each = CLIENTS / CLIENT_PROCESSES;
    for (int p = 0; p < CLIENT_PROCESSES; p++) {
      int first = p * each;
      int count = p == CLIENT_PROCESSES - 1 ? CLIENTS - first : each;
      CompletableFuture<NodeRunner.Result> run = new CompletableFuture<>();
      // A thread each: the common pool may have a single thread, which would run them one after the other.
      Thread.ofPlatform().daemon().name("drain-clients-" + p).start(() -> {
        try {
          run.complete(NodeRunner.runTest("standalone/drain-recovery.test.mjs", Map.of(
              "SWITCHBOARD_URL", url,
              "SWITCHBOARD_CLIENTS", Integer.toString(count),
              "SWITCHBOARD_FIRST", Integer.toString(first),
              "SWITCHBOARD_ROOMS", Integer.toString(ROOMS),
              "SWITCHBOARD_DEADLINE_MS", Long.toString(CLIENT_DEADLINE.toMillis())), CLIENT_DEADLINE.plusSeconds(30)));
        } catch (Throwable e) {
          run.completeExceptionally(e);
        }
      });
      runs.add(run);
    }
    return runs;
  }

  /** Clients in their rooms anywhere in the cluster, none of them on node B: all on node A. */
  private static int membersOnA(SwitchboardApp nodeB) {
    List<RemoteSocket> sockets = nodeB.io().fetchSockets().join();
    return membersOnB(nodeB) > 0 ? -1
        : (int) sockets.stream().filter(s -> s.rooms().stream().anyMatch(r -> r.startsWith("drain-"))).count();
  }

  private static int membersOnB(SwitchboardApp nodeB) {
    return nodeB.io().localRoomSizes().join().entrySet().stream()
        .filter(e -> e.getKey().startsWith("drain-")).mapToInt(Map.Entry::getValue).sum();
  }

  /** When node B saw the clients arrive, after the SIGTERM. */
  private record Reconnections(List<Long> millis, int recovered) {
    static Reconnections of(ConcurrentLinkedQueue<long[]> arrivals, long since) {
      List<Long> millis = arrivals.stream().map(a -> TimeUnit.NANOSECONDS.toMillis(a[0] - since)).sorted().toList();
      return new Reconnections(millis, (int) arrivals.stream().filter(a -> a[1] == 1).count());
    }

    int count() {
      return millis.size();
    }

    long firstMillis() {
      return millis.getFirst();
    }

    long lastMillis() {
      return millis.getLast();
    }

    double averagePerSecond() {
      return (count() - 1) * 1000.0 / Math.max(1, lastMillis() - firstMillis());
    }

    /** The most arrivals within any one second. */
    int peakPerSecond() {
      int peak = 0;
      for (int i = 0, j = 0; i < millis.size(); i++) {
        while (millis.get(i) - millis.get(j) >= 1000) {
          j++;
        }
        peak = Math.max(peak, i - j + 1);
      }
      return peak;
    }
  }

  /**
   * Publishes {@code chat {n}} to every room each tick from node B (a backend using the Java API),
   * n counting up per room; every message must be kept in the shared streams.
   */
  private static final class Publisher implements AutoCloseable {
    private final SocketIoServer io;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final int[] published = new int[ROOMS];
    private final AtomicInteger ticks = new AtomicInteger();
    private final AtomicInteger kept = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private ScheduledFuture<?> task;

    Publisher(SocketIoServer io) {
      this.io = io;
    }

    void start() {
      task = timer.scheduleAtFixedRate(this::tick, 0, PUBLISH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** On the timer thread. */
    private void tick() {
      for (int room = 0; room < ROOMS; room++) {
        int n = ++published[room];
        String name = "drain-" + room;
        io.to(name).emitWithPosition("chat", Map.of("n", n)).whenComplete((position, error) -> check(name, n, position, error));
      }
      ticks.incrementAndGet();
    }

    private void check(String room, int n, Optional<StreamPosition> position, Throwable error) {
      if (error != null || position.isEmpty()) {
        failures.add(room + " " + n + ": " + (error != null ? error : "not kept"));
      }
      kept.incrementAndGet();
    }

    void awaitTicks(int count) {
      int mark = ticks.get();
      await().atMost(Duration.ofSeconds(30)).until(() -> ticks.get() >= mark + count);
    }

    /** Stops, waits until every message is kept, tells each room its last number; returns how many were published. */
    int finish() throws Exception {
      task.cancel(false);
      int total = timer.submit(() -> java.util.Arrays.stream(published).sum()).get();
      await().atMost(Duration.ofSeconds(10)).until(() -> kept.get() == total);
      assertThat(failures).as("publishes not kept").isEmpty();
      for (int room = 0; room < ROOMS; room++) {
        io.to("drain-" + room).emitWithPosition("done", Map.of("last", published[room])).get(10, TimeUnit.SECONDS);
      }
      return total;
    }

    @Override
    public void close() {
      timer.shutdownNow();
    }
  }
}
