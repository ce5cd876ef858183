package dev.switchboard.socketio.internal;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.internal.RealEngineSession;
import dev.switchboard.engineio.internal.Sessions;
import dev.switchboard.http.internal.Spread;
import dev.switchboard.socketio.DrainOptions;
import dev.switchboard.socketio.DrainParticipant;
import dev.switchboard.socketio.DrainReport;
import dev.switchboard.sse.SseRooms;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One drain of a Socket.IO server: handshakes and new SSE streams are refused from its start;
 * every connection gets a turn within the window ({@link Spread}), at which it waits for the
 * acknowledgements in flight on it (up to the ack wait), keeps its sockets where any node can
 * take them back, then closes as the server shutting down: an official client reconnects (through
 * the balancer, to another node) and recovers its session there. Once every connection and
 * stream is gone the participants run; at the timeout whatever is left is closed at once.
 */
public final class ServerDrain {
  private static final Logger log = LoggerFactory.getLogger(ServerDrain.class);
  /** How often the drain looks whether everything is gone, and how often a turn looks for its acks. */
  private static final long CHECK_EVERY_MS = 20;
  /** Longest a connection waits, at its turn, for its sockets to be kept for recovery before it closes. */
  private static final Duration KEEP_WAIT = Duration.ofSeconds(2);

  private final Sessions sessions;
  private final List<SseRooms> streams;
  private final DrainOptions options;
  private final long startedAt = System.nanoTime();
  private final long deadline;
  private final CompletableFuture<DrainReport> done = new CompletableFuture<>();
  /** Sessions given their turn (those that arrived in a race with the start get theirs after the window). */
  private final Set<RealEngineSession> given = ConcurrentHashMap.newKeySet();
  private final AtomicInteger cut = new AtomicInteger();
  private int streamsAtStart;
  private final AtomicBoolean connectionsGone = new AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "switchboard-drain");
    thread.setDaemon(true);
    return thread;
  });

  private ServerDrain(Sessions sessions, List<SseRooms> streams, DrainOptions options) {
    this.sessions = sessions;
    this.streams = List.copyOf(streams);
    this.options = options;
    this.deadline = startedAt + options.timeout().toNanos();
  }

  /** Starts draining {@code sessions} and {@code streams}; completes with the report. */
  public static CompletableFuture<DrainReport> start(Sessions sessions, List<SseRooms> streams, DrainOptions options) {
    ServerDrain drain = new ServerDrain(sessions, streams, options);
    drain.begin();
    return drain.done;
  }

  private void begin() {
    sessions.drain();
    Duration window = options.window().compareTo(options.timeout()) < 0 ? options.window() : options.timeout();
    streamsAtStart = openStreams();
    streams.forEach(route -> route.drain(window, options.sseRetry()));
    List<RealEngineSession> open = List.copyOf(sessions.all());
    long[] delays = Spread.delays(open.size(), window, ThreadLocalRandom.current());
    log.info("draining: {} connections and {} SSE streams over {} ms", open.size(), streamsAtStart, window.toMillis());
    for (int i = 0; i < open.size(); i++) {
      giveTurn(open.get(i), delays[i]);
    }
    timer.scheduleWithFixedDelay(this::check, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
  }

  private void giveTurn(RealEngineSession session, long delayNanos) {
    given.add(session);
    try {
      session.executor().schedule(() -> turn(session, System.nanoTime() + options.ackWait().toNanos()),
          delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // its event loop is stopping, which closes the connection
    }
  }

  private static void onLoop(RealEngineSession session, Runnable task) {
    try {
      session.executor().execute(task);
    } catch (RejectedExecutionException e) {
      // its event loop is stopping, which closes the connection
    }
  }

  /**
   * A connection's turn, on its loop: once its acks are in (or it waited for them until
   * {@code ackDeadline}), kept and closed. The drain's timeout cuts a wait short by giving the
   * connection a turn that waits for nothing ({@link #checkNow}), so that one path counts the cuts.
   */
  private void turn(RealEngineSession session, long ackDeadline) {
    if (!session.isOpen()) {
      return;
    }
    Client client = session.listener() instanceof Client c ? c : null;
    if (client != null && client.acksInFlight() > 0 && System.nanoTime() < ackDeadline) {
      session.executor().schedule(() -> turn(session, ackDeadline), CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
      return;
    }
    CompletableFuture<Void> kept = client == null ? CompletableFuture.completedFuture(null) : client.keepForRecovery();
    kept.orTimeout(KEEP_WAIT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((ok, error) -> {
      if (error != null) {
        log.warn("connection {}: its sockets could not be kept for recovery before it closed: {}", session.id(), error.toString());
      }
      session.close(CloseReason.SERVER_SHUTTING_DOWN, "server shutting down");
    });
  }

  /** On the timer: completes the connections' part once everything is gone, or at the timeout. */
  private void check() {
    try {
      checkNow();
    } catch (RuntimeException e) {
      log.warn("drain check failed", e);
    }
  }

  private void checkNow() {
    long now = System.nanoTime();
    if (sessions.size() == 0 && openStreams() == 0) {
      connectionsGone();
    } else if (now >= deadline) {
      for (RealEngineSession session : sessions.all()) {
        if (!session.hasEnded()) {
          cut.incrementAndGet();
          given.add(session);
        }
        onLoop(session, () -> turn(session, now));
      }
      cut.addAndGet(openStreams());
      streams.forEach(SseRooms::closeAll);
      connectionsGone();
    } else if (now - startedAt >= options.window().toNanos()) {
      for (RealEngineSession session : sessions.all()) {
        if (!given.contains(session)) {
          giveTurn(session, 0);
        }
      }
    }
  }

  private int openStreams() {
    return streams.stream().mapToInt(SseRooms::openStreams).sum();
  }

  /** Every connection is gone (or was cut): the participants run with the time left. */
  private void connectionsGone() {
    if (!connectionsGone.compareAndSet(false, true)) {
      return;
    }
    timer.shutdown();
    long left = Math.max(0, deadline - System.nanoTime());
    CompletableFuture<?>[] finishing = options.participants().stream().map(participant -> finish(participant, left))
        .toArray(CompletableFuture<?>[]::new);
    CompletableFuture.allOf(finishing).orTimeout(Math.max(1, left), TimeUnit.NANOSECONDS)
        .whenComplete((ok, error) -> report(error == null));
  }

  private static CompletableFuture<?> finish(DrainParticipant participant, long leftNanos) {
    try {
      return participant.finish(Duration.ofNanos(leftNanos)).toCompletableFuture();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void report(boolean participantsFinished) {
    DrainReport report = new DrainReport(Duration.ofNanos(System.nanoTime() - startedAt), given.size(),
        streamsAtStart, cut.get(), participantsFinished);
    log.info("drained in {} ms: {} connections, {} SSE streams, {} cut at the timeout{}",
        report.took().toMillis(), report.connections(), report.sseStreams(), report.cut(),
        participantsFinished ? "" : ", participants unfinished");
    done.complete(report);
  }
}
