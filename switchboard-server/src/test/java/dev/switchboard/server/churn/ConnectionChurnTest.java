package dev.switchboard.server.churn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.server.SwitchboardApp;
import dev.switchboard.server.TestApps;
import dev.switchboard.testkit.LeakRecorder;
import dev.switchboard.testkit.LeakReports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A short soak of the standalone server (its defaults: history, recovery, presence in every room;
 * a fast heartbeat so that vanished clients are reaped within the test): stayers sit in a few
 * rooms taking numbered publishes while about {@value #CHURNERS_TOTAL} other connections come and
 * go around them, ending cleanly, by TCP reset, or by going silent until the server's ping timeout
 * ends them; some join a stayers' room and a room of their own. Afterwards Netty reported no leaked
 * buffer (the suite runs its detector at paranoid), this process's open files are back to what
 * they were with only the stayers connected, the server counts only the stayers, the churners'
 * rooms are gone, and every stayer got every message once.
 */
@Timeout(120)
class ConnectionChurnTest {
  private static final int STAYERS = 60;
  private static final int ROOMS = 3;
  private static final int POOL = 150;
  private static final int CHURN_PER_SECOND = 50;
  private static final int CHURN_SECONDS = 24;
  static final int CHURNERS_TOTAL = CHURN_PER_SECOND * CHURN_SECONDS;
  /** Publishes a second over all rooms: within the server's default per-connection event rate. */
  private static final int PUBLISH_PER_SECOND = 15;
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final Pattern CHAT_NUMBER = Pattern.compile("^42\\[\"chat\",\\{\"n\":(\\d+)\\}");
  private static final Pattern ACK = Pattern.compile("^43(\\d+)\\[(.*)\\]$", Pattern.DOTALL);

  private SwitchboardApp app;
  private RawSockets clients;
  private final List<RawSocket> everyone = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    app = TestApps.start(Map.of("ping-interval", "2s", "ping-timeout", "3s"));
    clients = new RawSockets(app.port());
  }

  @AfterEach
  void stop() {
    clients.close();
    app.close();
  }

  @Test
  void churnLeavesNoLeakNoOpenFileAndNoGapForTheConnectionsThatStayed() throws Exception {
    Inbox[] inboxes = new Inbox[STAYERS];
    AtomicInteger joined = new AtomicInteger();
    List<RawSocket> stayers = new ArrayList<>();
    for (int i = 0; i < STAYERS; i++) {
      Inbox inbox = new Inbox();
      inboxes[i] = inbox;
      RawSocket stayer = connect(() -> new RawSocket(inbox::receive, (s, ack) -> {
        if (ack.contains("\"ok\":true")) {
          joined.incrementAndGet();
        }
      }));
      stayer.closed().thenRun(inbox::disconnect);
      stayer.emitWithAck("room:join", "{\"room\":\"stay-" + (i % ROOMS) + "\"}");
      stayers.add(stayer);
    }
    await().atMost(SETTLE).until(() -> joined.get() == STAYERS);

    Map<Long, Integer> pendingPublishes = new ConcurrentHashMap<>();
    AtomicLong[] publishedOk = new AtomicLong[ROOMS];
    for (int r = 0; r < ROOMS; r++) {
      publishedOk[r] = new AtomicLong();
    }
    RawSocket publisher = connect(() -> new RawSocket((s, event) -> { }, (s, ack) -> {
      Matcher m = ACK.matcher(ack);
      if (m.find()) {
        Integer room;
        synchronized (pendingPublishes) { // an answer may come before its id is noted
          room = pendingPublishes.remove(Long.parseLong(m.group(1)));
        }
        if (room != null && m.group(2).contains("\"ok\":true")) {
          publishedOk[room].incrementAndGet();
        } else if (room == null && m.group(2).contains("\"ok\":true")) {
          joined.incrementAndGet();
        }
      }
    }));
    // Only members publish to a room.
    for (int r = 0; r < ROOMS; r++) {
      publisher.emitWithAck("room:join", "{\"room\":\"stay-" + r + "\"}");
    }
    await().atMost(SETTLE).until(() -> joined.get() == STAYERS + ROOMS);

    // A first round of every kind of end, so that what the process opens once (classes, jars) is open.
    Churn warmUp = new Churn(20);
    for (int i = 0; i < 40; i++) {
      warmUp.next(i);
    }
    await().atMost(SETTLE).until(warmUp::allAnswered);
    warmUp.endAll();
    await().atMost(SETTLE).until(warmUp::allClosed);
    await().atMost(SETTLE).until(() -> app.io().connectionCount() == STAYERS + 1);
    long baselineFiles = openFiles();

    Churn churn = new Churn(POOL);
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    AtomicLong publishes = new AtomicLong();
    AtomicLong churned = new AtomicLong();
    try {
      timers.scheduleAtFixedRate(() -> {
        long n = publishes.getAndIncrement();
        int room = (int) (n % ROOMS);
        long number = n / ROOMS;
        synchronized (pendingPublishes) {
          long id = publisher.emitWithAck("room:publish",
              "{\"room\":\"stay-" + room + "\",\"event\":\"chat\",\"data\":{\"n\":" + number + "}}");
          pendingPublishes.put(id, room);
        }
      }, 0, 1_000_000 / PUBLISH_PER_SECOND, TimeUnit.MICROSECONDS);
      timers.scheduleAtFixedRate(() -> churn.next(churned.getAndIncrement()), 0, 1_000_000 / CHURN_PER_SECOND,
          TimeUnit.MICROSECONDS);
      await().atMost(Duration.ofSeconds(CHURN_SECONDS * 3L)).until(() -> churned.get() >= CHURNERS_TOTAL);
    } finally {
      timers.shutdownNow();
      timers.awaitTermination(5, TimeUnit.SECONDS);
    }
    await().atMost(SETTLE).until(pendingPublishes::isEmpty);
    await().atMost(SETTLE).until(() -> {
      for (int i = 0; i < STAYERS; i++) {
        if (inboxes[i].distinct() < publishedOk[i % ROOMS].get()) {
          return false;
        }
      }
      return true;
    });
    int reapedBeforeEnd = churn.reaped.get();
    await().atMost(SETTLE).until(churn::allAnswered);
    churn.endAll();

    await().atMost(SETTLE).until(churn::allClosed);
    await().atMost(SETTLE).untilAsserted(() -> {
      assertThat(app.io().connectionCount()).as("connections the server holds").isEqualTo(STAYERS + 1);
      assertThat(app.io().sockets()).as("sockets of the main namespace").hasSize(STAYERS + 1);
      Map<String, Integer> rooms = app.io().localRoomSizes().get(5, TimeUnit.SECONDS);
      for (int r = 0; r < ROOMS; r++) {
        assertThat(rooms).as("stayers' room %d, with the publisher", r).containsEntry("stay-" + r, STAYERS / ROOMS + 1);
      }
      assertThat(rooms.keySet()).as("rooms of churners").noneMatch(room -> room.startsWith("own-"));
      assertThat(openFiles()).as("open files of this process (server and clients)").isLessThanOrEqualTo(baselineFiles);
    });

    assertThat(churn.connected.get()).as("churners connected").isGreaterThan(CHURNERS_TOTAL * 9 / 10);
    assertThat(churn.failed.get()).as("churners that could not connect").isZero();
    assertThat(churn.silent.get()).as("churners gone silent").isPositive();
    assertThat(reapedBeforeEnd).as("silent churners the server timed out before the end").isPositive();
    assertThat(churn.unexpected.get()).as("churners closed by the server while answering pings").isZero();
    for (int i = 0; i < STAYERS; i++) {
      long expected = publishedOk[i % ROOMS].get();
      assertThat(expected).isPositive();
      assertThat(inboxes[i].disconnected()).as("stayer %d disconnected", i).isFalse();
      assertThat(inboxes[i].distinct()).as("messages stayer %d got", i).isEqualTo(expected);
      assertThat(inboxes[i].duplicates()).as("duplicates stayer %d got", i).isZero();
    }
    if (LeakReports.paranoid()) {
      assertThat(LeakRecorder.leaks()).as("Netty leak reports").isEmpty();
    }
    stayers.forEach(RawSocket::closeCleanly);
    publisher.closeCleanly();
  }

  private RawSocket connect(java.util.function.Supplier<RawSocket> sockets) throws Exception {
    RawSocket socket = clients.open(sockets);
    everyone.add(socket);
    return socket.connected().get(10, TimeUnit.SECONDS);
  }

  private static long openFiles() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What one stayer got of its room's numbered stream. */
  private static final class Inbox {
    private final BitSet seen = new BitSet();
    private int duplicates;
    private volatile boolean disconnected;

    synchronized void receive(RawSocket socket, String packet) {
      Matcher m = CHAT_NUMBER.matcher(packet);
      if (!m.find()) {
        return; // presence:join / presence:leave of churners passing through
      }
      int n = Integer.parseInt(m.group(1));
      if (seen.get(n)) {
        duplicates++;
      }
      seen.set(n);
    }

    synchronized long distinct() {
      return seen.cardinality();
    }

    synchronized int duplicates() {
      return duplicates;
    }

    boolean disconnected() {
      return disconnected;
    }

    void disconnect() {
      disconnected = true;
    }
  }

  /**
   * Connections that come and go, at most {@code size} open: each new one past that ends the oldest,
   * every tenth by going silent, every fifth by TCP reset, the rest cleanly; every third joins a
   * stayers' room and one of its own.
   */
  private final class Churn {
    private final int size;
    private final ConcurrentLinkedDeque<RawSocket> open = new ConcurrentLinkedDeque<>();
    private final List<RawSocket> all = new CopyOnWriteArrayList<>();
    private final Map<RawSocket, Boolean> ending = new ConcurrentHashMap<>();
    private final AtomicInteger openCount = new AtomicInteger();
    private final AtomicLong ends = new AtomicLong();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger silent = new AtomicInteger();
    final AtomicInteger reaped = new AtomicInteger();
    final AtomicInteger unexpected = new AtomicInteger();

    Churn(int size) {
      this.size = size;
    }

    void next(long index) {
      RawSocket socket = clients.open(() -> new RawSocket((s, event) -> { }, (s, ack) -> { }));
      all.add(socket);
      everyone.add(socket);
      socket.connected().whenComplete((s, error) -> {
        if (error != null) {
          failed.incrementAndGet();
          return;
        }
        connected.incrementAndGet();
        if (index % 3 == 0) {
          socket.emitWithAck("room:join", "{\"room\":\"stay-" + (index % ROOMS) + "\"}");
          socket.emitWithAck("room:join", "{\"room\":\"own-" + index + "\"}");
        }
        open.addLast(socket);
        if (openCount.incrementAndGet() > size) {
          endOldest();
        }
      });
      socket.closed().whenComplete((v, e) -> {
        Boolean wasSilent = ending.get(socket);
        if (wasSilent == null && socket.connected().isDone() && !socket.connected().isCompletedExceptionally()) {
          unexpected.incrementAndGet();
        } else if (Boolean.TRUE.equals(wasSilent)) {
          reaped.incrementAndGet();
        }
      });
    }

    private void endOldest() {
      RawSocket oldest = open.pollFirst();
      if (oldest == null) {
        return;
      }
      openCount.decrementAndGet();
      long n = ends.getAndIncrement();
      if (n % 10 == 0) {
        silent.incrementAndGet();
        ending.put(oldest, true);
        oldest.goSilent();
      } else if (n % 5 == 0) {
        ending.put(oldest, false);
        oldest.reset();
      } else {
        ending.put(oldest, false);
        oldest.closeCleanly();
      }
    }

    /** Ends every connection still open cleanly; silent ones are left to the server's ping timeout. */
    void endAll() {
      RawSocket socket;
      while ((socket = open.pollFirst()) != null) {
        openCount.decrementAndGet();
        ending.put(socket, false);
        socket.closeCleanly();
      }
    }

    /** Whether every connection opened so far has connected or failed. */
    boolean allAnswered() {
      return all.stream().allMatch(socket -> socket.connected().isDone());
    }

    boolean allClosed() {
      return all.stream().allMatch(socket -> socket.closed().isDone());
    }
  }
}
