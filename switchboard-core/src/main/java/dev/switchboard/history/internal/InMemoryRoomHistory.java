package dev.switchboard.history.internal;

import dev.switchboard.http.internal.Globs;
import dev.switchboard.http.internal.SessionIds;
import dev.switchboard.history.HistoryEntry;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.history.StreamPosition;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Room history kept in this process: one bounded sequence per room, packed in chunks
 * ({@link HistoryChunks}), trimmed by length and bytes on append and by age on every access; every
 * chunk is also charged to a process-wide {@link RetainedBytes} budget, which may evict it first
 * when other rooms or recovery logs fill it.
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
  /** The biggest chunk a room's messages are packed into (bigger only for a message that needs it). */
  private static final int MAX_CHUNK = 16 * 1024;
  /** Full-size chunks waiting for reuse, at most (1 MiB). */
  private static final int SPARE_CHUNKS = 64;

  private record CompiledRule(Predicate<String> matches, HistoryRule rule) {}

  private final List<CompiledRule> rules;
  private final Clock clock;
  private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
  private final AtomicLong sequence = new AtomicLong();
  private final RetainedBytes budget;
  private final SpareBuffers spares = new SpareBuffers(MAX_CHUNK, SPARE_CHUNKS);

  /** The first matching rule applies; rooms matching none keep no history. No budget beyond the rules'. */
  public InMemoryRoomHistory(List<HistoryRule> rules, Clock clock) {
    this(rules, clock, RetainedBytes.unbounded());
  }

  /** The first matching rule applies; rooms matching none keep no history. Messages are charged to {@code budget}. */
  public InMemoryRoomHistory(List<HistoryRule> rules, Clock clock, RetainedBytes budget) {
    this.rules = rules.stream().map(r -> new CompiledRule(Globs.matcher(r.roomPattern()), r)).toList();
    this.clock = clock;
    this.budget = budget;
  }

  private final class Stream implements RetainedBytes.Keeper {
    final String epoch = SessionIds.next().substring(0, 8);
    final HistoryRule rule;
    final HistoryChunks entries;
    long lastOffset;
    long lastAppendMillis;

    Stream(HistoryRule rule) {
      this.rule = rule;
      // several chunks per room at its byte limit, so that dropping the oldest frees memory early
      entries = new HistoryChunks((int) Math.min(MAX_CHUNK, rule.maxBytes() / 8), budget, this, spares);
    }

    @Override
    public void evict(RetainedBytes.Charge charge) {
      synchronized (this) {
        entries.evict(charge);
      }
    }

    long oldestOffset() {
      return lastOffset - entries.count() + 1;
    }
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
    Stream existing = streams.get(room);
    HistoryRule rule = existing != null ? existing.rule : rule(room);
    if (rule.maxLength() == 0) {
      return Optional.empty();
    }
    long now = clock.millis();
    HistoryEntry appended = null;
    Stream stream = existing;
    while (appended == null) {
      if (stream == null) {
        stream = streams.computeIfAbsent(room, r -> new Stream(rule));
      }
      synchronized (stream) {
        if (streams.get(room) != stream) {
          stream = null; // swept or removed meanwhile: append to the room's new stream
          continue;
        }
        expire(stream, rule, now);
        HistoryEntry entry = new HistoryEntry(room, new StreamPosition(stream.epoch, ++stream.lastOffset), event,
            argsJson, List.copyOf(attachments), now, sequence.incrementAndGet());
        stream.entries.append(entry.position().offset(), now, entry.sequence(), event, argsJson, attachments);
        stream.lastAppendMillis = now;
        while (stream.entries.count() > 0
            && (stream.entries.count() > rule.maxLength() || stream.entries.bytes() > rule.maxBytes())) {
          stream.entries.dropOldest();
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
      expire(stream, stream.rule, clock.millis());
      StreamPosition head = new StreamPosition(stream.epoch, stream.lastOffset);
      if (since != null && !since.epoch().equals(stream.epoch)) {
        return page(room, stream, 0, limit, head, true);
      }
      long after = since == null ? 0 : since.offset();
      if (after > stream.lastOffset) {
        return new HistoryPage(List.of(), head, true, false);
      }
      boolean gap = since != null && after + 1 < stream.oldestOffset();
      return page(room, stream, after, limit, head, gap);
    }
  }

  private static HistoryPage page(String room, Stream stream, long after, int limit, StreamPosition head, boolean gap) {
    HistoryChunks.Slice slice = stream.entries.after(room, stream.epoch, after, limit);
    return new HistoryPage(slice.entries(), head, gap, slice.more());
  }

  @Override
  public CompletableFuture<StreamPosition> head(String room) {
    return CompletableFuture.completedFuture(position(room));
  }

  /** What {@link #head} answers, at once. */
  public StreamPosition position(String room) {
    HistoryRule rule = rule(room);
    Stream stream = rule.maxLength() > 0 ? streams.computeIfAbsent(room, r -> {
      Stream created = new Stream(rule);
      created.lastAppendMillis = clock.millis();
      return created;
    }) : null;
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
        stream.entries.clear();
      }
    }
    return CompletableFuture.completedFuture(null);
  }

  /** Drops expired entries. */
  private void expire(Stream stream, HistoryRule rule, long now) {
    long oldest = now - rule.ttl().toMillis();
    while (stream.entries.count() > 0 && stream.entries.oldestMillis() < oldest) {
      stream.entries.dropOldest();
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
        HistoryRule rule = stream.rule;
        expire(stream, rule, now);
        long idleLimit = Math.max(rule.ttl().toMillis(), IDLE_STREAM_RETENTION.toMillis());
        if (stream.entries.count() == 0 && now - stream.lastAppendMillis > idleLimit) {
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
      return stream.entries.bytes();
    }
  }

  /** The number of rooms with a stream (for metrics and tests). */
  public int streamCount() {
    return streams.size();
  }

  private HistoryRule rule(String room) {
    for (CompiledRule compiled : rules) {
      if (compiled.matches().test(room)) {
        return compiled.rule();
      }
    }
    return NONE;
  }
}
