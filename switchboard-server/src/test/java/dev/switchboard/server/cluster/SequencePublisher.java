package dev.switchboard.server.cluster;

import io.socket.client.Ack;
import io.socket.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * A member publishing a numbered sequence steadily, each number to the next of its rooms in turn,
 * as {@code chat {p, n}} with the message id {@code p-n}. A publish the server refuses is sent
 * again with the same id every {@link #RESEND_AFTER} until {@link #GIVE_UP_AFTER} has passed
 * since the first try, as a client that wants its message through does.
 */
final class SequencePublisher implements AutoCloseable {
  static final Duration RESEND_AFTER = Duration.ofMillis(100);
  static final Duration GIVE_UP_AFTER = Duration.ofSeconds(10);

  /** What became of number {@code n}, published to {@code room}: accepted at a time, after refusals, or given up. */
  record Outcome(int n, String room, long sentNanos, long acceptedNanos, int refusals, boolean givenUp) {
    boolean accepted() {
      return acceptedNanos != 0;
    }
  }

  private final Socket socket;
  private final String name;
  private final List<String> rooms;
  private final ScheduledExecutorService timer;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
  private volatile boolean publishing = true;

  private SequencePublisher(Socket socket, String name, List<String> rooms) {
    this.socket = socket;
    this.name = name;
    this.rooms = List.copyOf(rooms);
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "publisher-" + name);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts publishing through {@code socket}, a member of every one of {@code rooms}, every {@code every}. */
  static SequencePublisher start(Socket socket, String name, List<String> rooms, Duration every) {
    SequencePublisher publisher = new SequencePublisher(socket, name, rooms);
    publisher.timer.scheduleAtFixedRate(publisher::publishNext, 0, every.toNanos(), TimeUnit.NANOSECONDS);
    return publisher;
  }

  String name() {
    return name;
  }

  /** Numbers handed out so far. */
  int published() {
    return next.get();
  }

  /** The room number {@code n} goes to. */
  String roomOf(int n) {
    return rooms.get(n % rooms.size());
  }

  /** Stops taking new numbers; resends of refused ones go on. */
  void stop() {
    publishing = false;
  }

  /** Whether every number handed out is accepted or given up. */
  boolean settled() {
    return outcomes.size() == next.get() && outcomes.values().stream().allMatch(o -> o.accepted() || o.givenUp());
  }

  Map<Integer, Outcome> outcomes() {
    return Map.copyOf(outcomes);
  }

  private void publishNext() {
    if (!publishing) {
      return;
    }
    int n = next.getAndIncrement();
    long now = System.nanoTime();
    outcomes.put(n, new Outcome(n, roomOf(n), now, 0, 0, false));
    send(n);
  }

  private void send(int n) {
    Outcome outcome = outcomes.get(n);
    try {
      JSONObject payload = new JSONObject().put("room", outcome.room()).put("event", "chat")
          .put("data", new JSONObject().put("p", name).put("n", n)).put("id", name + "-" + n);
      socket.emit("room:publish", new Object[] {payload}, (Ack) args -> answered(n, (JSONObject) args[0]));
    } catch (JSONException e) {
      throw new AssertionError(e);
    }
  }

  private void answered(int n, JSONObject answer) {
    long now = System.nanoTime();
    Outcome was = outcomes.get(n);
    if (answer.optBoolean("ok")) {
      outcomes.put(n, new Outcome(n, was.room(), was.sentNanos(), now, was.refusals(), false));
      return;
    }
    boolean giveUp = now - was.sentNanos() > GIVE_UP_AFTER.toNanos();
    outcomes.put(n, new Outcome(n, was.room(), was.sentNanos(), 0, was.refusals() + 1, giveUp));
    if (!giveUp) {
      timer.schedule(() -> send(n), RESEND_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
