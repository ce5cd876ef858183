package dev.switchboard.history.internal;

import dev.switchboard.http.internal.SessionIds;
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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Room history kept in this process: one bounded deque per room, trimmed by length and bytes on
 * append and by age on every access; every message is also charged to a process-wide
 * {@link RetainedBytes} budget, which may evict it first when other rooms or recovery logs fill it.
 * An evicted message is reported as a gap to whoever resumes from before it. A stream idle long after its messages expired is forgotten by
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
  private final RetainedBytes budget;

  /** The first matching rule applies; rooms matching none keep no history. No budget beyond the rules'. */
  public InMemoryRoomHistory(List<HistoryRule> rules, Clock clock) {
    this(rules, clock, RetainedBytes.unbounded());
  }

  /** The first matching rule applies; rooms matching none keep no history. Messages are charged to {@code budget}. */
  public InMemoryRoomHistory(List<HistoryRule> rules, Clock clock, RetainedBytes budget) {
    this.rules = rules.stream().map(r -> new CompiledRule(r.toRegex(), r)).toList();
    this.clock = clock;
    this.budget = budget;
  }

  private record Kept(HistoryEntry entry, RetainedBytes.Charge charge) {}

  private final class Stream implements RetainedBytes.Keeper {
    final String epoch = SessionIds.next().substring(0, 8);
    final ArrayDeque<Kept> entries = new ArrayDeque<>();
    long bytes;
    long lastOffset;
    long lastAppendMillis;

    /** Drops the oldest message; call holding this stream's lock. */
    void dropOldest() {
      Kept oldest = entries.removeFirst();
      bytes -= oldest.charge().bytes();
      budget.release(oldest.charge());
    }

    @Override
    public void evict(RetainedBytes.Charge charge) {
      synchronized (this) {
        Kept oldest = entries.peekFirst();
        if (oldest != null && oldest.charge() == charge) {
          dropOldest();
        } else if (entries.removeIf(kept -> kept.charge() == charge)) {
          bytes -= charge.bytes();
          budget.release(charge);
        }
      }
    }

    long oldestOffset() {
      return entries.isEmpty() ? lastOffset + 1 : entries.peekFirst().entry().position().offset();
    }
  }

  private static long payloadBytes(String event, byte[] argsJson, List<byte[]> attachments) {
    long bytes = argsJson.length + 2L * event.length();
    for (byte[] attachment : attachments) {
      bytes += attachment.length;
    }
    return bytes;
  }

  @Override
  public boolean keeps(String room) {
    return rule(room).maxLength() > 0;
  }

  /**
   * Appends a message to {@code room}'s stream and returns its entry, or empty when the room
   * keeps no history. The message is charged to the budget; the caller then calls
   * {@link RetainedBytes#enforce()} once it holds no lock of a keeper (eviction takes their locks).
   */
  public Optional<HistoryEntry> append(String room, String event, byte[] argsJson, List<byte[]> attachments) {
    HistoryRule rule = rule(room);
    if (rule.maxLength() == 0) {
      return Optional.empty();
    }
    long now = clock.millis();
    HistoryEntry appended = null;
    while (appended == null) {
      Stream stream = streams.computeIfAbsent(room, r -> new Stream());
      synchronized (stream) {
        if (streams.get(room) != stream) {
          continue;
        }
        expire(stream, rule, now);
        HistoryEntry entry = new HistoryEntry(room, new StreamPosition(stream.epoch, ++stream.lastOffset), event,
            argsJson, List.copyOf(attachments), now, sequence.incrementAndGet());
        RetainedBytes.Charge charge = budget.charge(stream, payloadBytes(event, argsJson, attachments));
        stream.entries.addLast(new Kept(entry, charge));
        stream.bytes += charge.bytes();
        stream.lastAppendMillis = now;
        while (!stream.entries.isEmpty()
            && (stream.entries.size() > rule.maxLength() || stream.bytes > rule.maxBytes())) {
          stream.dropOldest();
        }
        appended = entry;
      }
    }
    return Optional.of(appended);
  }

  @Override
  public CompletableFuture<HistoryPage> since(String room, StreamPosition since, int limit) {
    return CompletableFuture.completedFuture(page(room, Objects.requireNonNull(since, "since"), limit));
  }

  @Override
  public CompletableFuture<HistoryPage> kept(String room, int limit) {
    return CompletableFuture.completedFuture(page(room, null, limit));
  }

  /** What {@link #since} answers, at once; everything still kept when {@code since} is null ({@link #kept}). */
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
      boolean gap = since != null && after + 1 < stream.oldestOffset();
      return page(stream, after, limit, head, gap);
    }
  }

  private static HistoryPage page(Stream stream, long after, int limit, StreamPosition head, boolean gap) {
    List<HistoryEntry> out = new ArrayList<>(Math.min(limit, stream.entries.size()));
    boolean more = false;
    for (Kept kept : stream.entries) {
      HistoryEntry entry = kept.entry();
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

  @Override
  public CompletableFuture<Void> remove(String room) {
    Stream stream = streams.remove(room);
    if (stream != null) {
      synchronized (stream) {
        while (!stream.entries.isEmpty()) {
          stream.dropOldest();
        }
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Drops expired entries. */
  private void expire(Stream stream, HistoryRule rule, long now) {
    long oldest = now - rule.ttl().toMillis();
    while (!stream.entries.isEmpty() && stream.entries.peekFirst().entry().timestampMillis() < oldest) {
      stream.dropOldest();
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

  /** The bytes {@code room} keeps now, as charged to the budget (for metrics and tests). */
  public long retainedBytes(String room) {
    Stream stream = streams.get(room);
    if (stream == null) {
      return 0;
    }
    synchronized (stream) {
      return stream.bytes;
    }
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
