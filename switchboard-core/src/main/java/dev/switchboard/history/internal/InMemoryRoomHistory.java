package dev.switchboard.history.internal;

import dev.switchboard.engineio.internal.SessionIds;
import dev.switchboard.history.HistoryEntry;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.history.StreamPosition;
import java.time.Clock;
import java.time.Duration;
import java.util.regex.Pattern;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Room history kept in this process: one bounded deque per room, trimmed by length on append and
 * by age on every access. A stream idle long after its messages expired is forgotten by
 * {@link #sweep()}, so its next message starts a new epoch; memory stays proportional to what the
 * rules allow.
 */
public final class InMemoryRoomHistory implements RoomHistory {
  /**
   * How long a stream whose messages have all expired keeps its epoch and last offset, so a client
   * that had seen everything can still continue without a false gap notice.
   */
  public static final Duration IDLE_STREAM_RETENTION = Duration.ofHours(1);
  private static final HistoryRule NONE = new HistoryRule("", 0, Duration.ofMillis(1));

  private record CompiledRule(Pattern pattern, HistoryRule rule) {}

  private final List<CompiledRule> rules;
  private final Clock clock;
  private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();

  /** The first matching rule applies; rooms matching none keep no history. */
  public InMemoryRoomHistory(List<HistoryRule> rules, Clock clock) {
    this.rules = rules.stream().map(r -> new CompiledRule(r.toRegex(), r)).toList();
    this.clock = clock;
  }

  private static final class Stream {
    final String epoch = SessionIds.next().substring(0, 8);
    final ArrayDeque<HistoryEntry> entries = new ArrayDeque<>();
    long lastOffset;
    long lastAppendMillis;
  }

  @Override
  public boolean keeps(String room) {
    return rule(room).maxLength() > 0;
  }

  /**
   * Appends a message to {@code room}'s stream and returns its entry, or empty when the room
   * keeps no history.
   */
  public Optional<HistoryEntry> append(String room, String event, byte[] argsJson, List<byte[]> attachments) {
    HistoryRule rule = rule(room);
    if (rule.maxLength() == 0) {
      return Optional.empty();
    }
    long now = clock.millis();
    while (true) {
      Stream stream = streams.computeIfAbsent(room, r -> new Stream());
      synchronized (stream) {
        if (streams.get(room) != stream) {
          continue;
        }
        expire(stream, rule, now);
        HistoryEntry entry = new HistoryEntry(room, new StreamPosition(stream.epoch, ++stream.lastOffset), event,
            argsJson, List.copyOf(attachments), now, sequence.incrementAndGet());
        stream.entries.addLast(entry);
        stream.lastAppendMillis = now;
        while (stream.entries.size() > rule.maxLength()) {
          stream.entries.removeFirst();
        }
        return Optional.of(entry);
      }
    }
  }

  @Override
  public CompletableFuture<HistoryPage> since(String room, StreamPosition since, int limit) {
    return CompletableFuture.completedFuture(page(room, since, limit));
  }

  /** What {@link #since} answers, at once. */
  public HistoryPage page(String room, StreamPosition since, int limit) {
    Stream stream = streams.get(room);
    if (stream == null) {
      boolean lost = since != null && since.offset() > 0;
      return new HistoryPage(List.of(), position(room), lost, false);
    }
    synchronized (stream) {
      expire(stream, rule(room), clock.millis());
      StreamPosition head = new StreamPosition(stream.epoch, stream.lastOffset);
      if (since != null && !since.epoch().equals(stream.epoch)) {
        return page(stream, 0, limit, head, true);
      }
      long after = since == null ? 0 : since.offset();
      if (after > stream.lastOffset) {
        return new HistoryPage(List.of(), head, true, false);
      }
      long oldestKept = stream.entries.isEmpty() ? stream.lastOffset + 1 : stream.entries.peekFirst().position().offset();
      boolean gap = since != null && after + 1 < oldestKept;
      return page(stream, after, limit, head, gap);
    }
  }

  private static HistoryPage page(Stream stream, long after, int limit, StreamPosition head, boolean gap) {
    List<HistoryEntry> out = new ArrayList<>(Math.min(limit, stream.entries.size()));
    boolean more = false;
    for (HistoryEntry entry : stream.entries) {
      if (entry.position().offset() <= after) {
        continue;
      }
      if (out.size() == limit) {
        more = true;
        break;
      }
      out.add(entry);
    }
    return new HistoryPage(List.copyOf(out), head, gap, more);
  }

  @Override
  public CompletableFuture<StreamPosition> head(String room) {
    return CompletableFuture.completedFuture(position(room));
  }

  /** What {@link #head} answers, at once. */
  public StreamPosition position(String room) {
    Stream stream = keeps(room) ? streams.computeIfAbsent(room, r -> { Stream s = new Stream(); s.lastAppendMillis = clock.millis(); return s; }) : null;
    if (stream == null) {
      return new StreamPosition("none", 0);
    }
    synchronized (stream) {
      return new StreamPosition(stream.epoch, stream.lastOffset);
    }
  }

  /** Drops expired entries. */
  private void expire(Stream stream, HistoryRule rule, long now) {
    long oldest = now - rule.ttl().toMillis();
    while (!stream.entries.isEmpty() && stream.entries.peekFirst().timestampMillis() < oldest) {
      stream.entries.removeFirst();
    }
  }

  /**
   * Forgets streams with no message left that have been idle longer than
   * {@link #IDLE_STREAM_RETENTION} (and their TTL); call periodically.
   */
  public void sweep() {
    long now = clock.millis();
    streams.forEach((room, stream) -> {
      synchronized (stream) {
        HistoryRule rule = rule(room);
        expire(stream, rule, now);
        long idleLimit = Math.max(rule.ttl().toMillis(), IDLE_STREAM_RETENTION.toMillis());
        if (stream.entries.isEmpty() && now - stream.lastAppendMillis > idleLimit) {
          streams.remove(room, stream);
        }
      }
    });
  }

  /** The number of rooms with a stream (for metrics and tests). */
  public int streamCount() {
    return streams.size();
  }

  private HistoryRule rule(String room) {
    for (CompiledRule compiled : rules) {
      if (compiled.pattern().matcher(room).matches()) {
        return compiled.rule();
      }
    }
    return NONE;
  }
}
