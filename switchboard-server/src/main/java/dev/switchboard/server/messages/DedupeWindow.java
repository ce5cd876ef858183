package dev.switchboard.server.messages;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers message ids seen recently so that a client resending after a reconnect or a page
 * reload (its offline queue) does not make a room see a message twice. Bounded in time and size:
 * the oldest ids are forgotten first.
 */
public final class DedupeWindow {
  private final Duration window;
  private final int maxIds;
  private final Clock clock;
  private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();

  public DedupeWindow(Duration window, int maxIds, Clock clock) {
    this.window = window;
    this.maxIds = maxIds;
    this.clock = clock;
  }

  /** True the first time {@code key} is seen within the window; false for a repeat. */
  public synchronized boolean firstTime(String key) {
    long now = clock.millis();
    Iterator<Map.Entry<String, Long>> oldest = seen.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<String, Long> entry = oldest.next();
      if (now - entry.getValue() <= window.toMillis() && seen.size() < maxIds) {
        break;
      }
      oldest.remove();
    }
    return seen.putIfAbsent(key, now) == null;
  }

  /** Forgets {@code key}: the next {@link #firstTime} of it is true. */
  public synchronized void forget(String key) {
    seen.remove(key);
  }
}
