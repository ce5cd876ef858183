package dev.switchboard.redis;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.history.HistoryEntry;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.history.HistoryRules;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.history.StreamPosition;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The history of rooms as every node sees it, read from the streams {@link RedisStreams} appends
 * to. A room without a stream gets its epoch when it is first read or written; messages older
 * than the rule's ttl are skipped as if trimmed. One read brings at most the rule's bytes: of a
 * stream written under a larger budget, only the newest messages that fit are kept, the older ones
 * a gap.
 */
final class RedisRoomHistory implements RoomHistory {
  private final RedisConnections redis;
  private final Keys keys;
  private final HistoryRules rules;

  RedisRoomHistory(RedisConnections redis, Keys keys, List<HistoryRule> rules) {
    this.redis = redis;
    this.keys = keys;
    this.rules = new HistoryRules(rules);
  }

  @Override
  public boolean keeps(String room) {
    return rules.of(room).isPresent();
  }

  @Override
  public CompletableFuture<HistoryPage> since(String room, StreamPosition since, int limit) {
    return fetch(room, Optional.of(since), limit);
  }

  @Override
  public CompletableFuture<HistoryPage> kept(String room, int limit) {
    return fetch(room, Optional.empty(), limit);
  }

  private CompletableFuture<HistoryPage> fetch(String room, Optional<StreamPosition> after, int limit) {
    StreamPosition since = after.orElse(null);
    Optional<HistoryRule> rule = rules.of(room);
    if (rule.isEmpty()) {
      return CompletableFuture.completedFuture(new HistoryPage(List.of(), new StreamPosition("none", 0), false, false));
    }
    int count = Math.min(limit, rule.get().maxLength()) + 1;
    return read(room, rule.get(), since, count).thenApply(read -> page(read, rule.get(), since, limit));
  }

  @Override
  public CompletableFuture<StreamPosition> head(String room) {
    Optional<HistoryRule> rule = rules.of(room);
    if (rule.isEmpty()) {
      return CompletableFuture.completedFuture(new StreamPosition("none", 0));
    }
    return read(room, rule.get(), null, 0).thenApply(Read::head);
  }

  /** Deletes the room's stream and its meta (one hash slot): the next read or write makes a new epoch. */
  @Override
  public CompletableFuture<Void> remove(String room) {
    return redis.send(c -> c.del(keys.history(room), keys.historyMeta(room))).thenApply(deleted -> null);
  }

  /** What the script read: the head, whether the epoch was just made, the entries after the asked position. */
  private record Read(StreamPosition head, boolean created, List<HistoryEntry> entries) {}

  private CompletableFuture<Read> read(String room, HistoryRule rule, StreamPosition since, int count) {
    byte[][] scriptKeys = {keys.history(room), keys.historyMeta(room)};
    return redis.send(c -> c.<List<Object>>eval(StreamScripts.SINCE, ScriptOutputType.MULTI, scriptKeys,
        Keys.bytes(since == null ? "" : since.epoch()), RedisStreams.number(since == null ? 0 : since.offset()),
        RedisStreams.number(count), Keys.bytes(Epochs.next()), RedisStreams.number(RedisStreams.metaTtl(rule)),
        RedisStreams.number(rule.maxBytes())))
        .thenApply(reply -> {
          String epoch = RedisStreams.text(reply.get(0));
          StreamPosition head = new StreamPosition(epoch, Long.parseLong(RedisStreams.text(reply.get(1))));
          List<HistoryEntry> entries = new ArrayList<>();
          long oldest = System.currentTimeMillis() - rule.ttl().toMillis();
          for (Object item : (List<?>) reply.get(3)) {
            HistoryEntry entry = entry(room, epoch, StreamEntry.of(item));
            if (entry.timestampMillis() >= oldest) {
              entries.add(entry);
            }
          }
          return new Read(head, ((Long) reply.get(2)) == 1, entries);
        });
  }

  private static HistoryPage page(Read read, HistoryRule rule, StreamPosition since, int limit) {
    List<HistoryEntry> entries = read.entries();
    boolean more = entries.size() > limit;
    List<HistoryEntry> kept = more ? List.copyOf(entries.subList(0, limit)) : List.copyOf(entries);
    if (read.created()) {
      return new HistoryPage(List.of(), read.head(), since != null && since.offset() > 0, false);
    }
    if (since == null) {
      return new HistoryPage(kept, read.head(), false, more);
    }
    if (!since.epoch().equals(read.head().epoch())) {
      return new HistoryPage(kept, read.head(), true, more);
    }
    if (since.offset() > read.head().offset()) {
      return new HistoryPage(List.of(), read.head(), true, false);
    }
    boolean gap = entries.isEmpty()
        ? read.head().offset() > since.offset()
        : entries.get(0).position().offset() != since.offset() + 1;
    return new HistoryPage(kept, read.head(), gap, more);
  }

  private static HistoryEntry entry(String room, String epoch, StreamEntry entry) {
    String id = entry.id();
    long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
    ClusterBroadcast message;
    try {
      message = Messages.broadcast(entry.field("m")).message();
    } catch (IOException e) {
      throw new IllegalStateException("history entry " + id + " of " + room + " is unreadable", e);
    }
    return new HistoryEntry(room, new StreamPosition(epoch, offset), message.event(), message.argsJson(),
        message.attachments(), Long.parseLong(RedisStreams.text(entry.field("t"))),
        Long.parseLong(RedisStreams.text(entry.field("s"))));
  }
}
