package dev.switchboard.testkit;

import io.socket.client.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.json.JSONObject;

/**
 * What one client received of an event whose data is {@code {n}}: how many times each n came, and
 * when it first came. For delivery tests under failures: what was lost, what came twice.
 */
public final class CountingInbox {
  private final ConcurrentHashMap<Integer, AtomicInteger> counts = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Integer, Long> firstAt = new ConcurrentHashMap<>();

  /** Counts the {@code event}s {@code socket} receives from now on. */
  public CountingInbox(Socket socket, String event) {
    socket.on(event, args -> {
      int n = ((JSONObject) args[0]).optInt("n", -1);
      firstAt.putIfAbsent(n, System.nanoTime());
      counts.computeIfAbsent(n, k -> new AtomicInteger()).incrementAndGet();
    });
  }

  /** Whether message {@code n} came. */
  public boolean has(int n) {
    return counts.containsKey(n);
  }

  /** When message {@code n} first came ({@link System#nanoTime}). */
  public long firstAt(int n) {
    return firstAt.get(n);
  }

  /** The first message after {@code n} that came, if any. */
  public int firstAfter(int n) {
    return counts.keySet().stream().filter(m -> m > n).min(Integer::compare).orElse(-1);
  }

  /** Messages that came more than once. */
  public List<Integer> twice() {
    return counts.entrySet().stream().filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).sorted().toList();
  }

  /** Messages 1 to {@code last} that did not come. */
  public List<Integer> missing(int last) {
    return IntStream.rangeClosed(1, last).filter(n -> !has(n)).boxed().toList();
  }
}
