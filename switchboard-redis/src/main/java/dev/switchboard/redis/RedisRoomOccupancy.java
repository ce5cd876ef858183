package dev.switchboard.redis;

import dev.switchboard.cluster.OccupancyChange;
import dev.switchboard.cluster.RoomOccupancy;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Room occupancy shared by every node. Each room with members is a sorted set of the nodes that
 * have members in it, scored by when their entry expires; a node pushes its entries forward on
 * every {@link #refresh()}. Entering and leaving are atomic scripts ({@link OccupancyScripts}): of
 * all the nodes, the one whose entry made the room non-empty reports it occupied, and the one
 * whose leaving made it empty reports it vacated. A node that dies stops refreshing: its entries
 * expire, and the next {@link #sweep()} of any live node, which looks through an index of the
 * rooms whose entries all expired, reports the rooms it left empty, once over the cluster. While
 * Redis is unreachable nothing is decided; a room entered meanwhile is decided at the next
 * refresh (after the reconnection), and one left meanwhile is vacated by the sweep once this node's
 * entry expires.
 */
final class RedisRoomOccupancy implements RoomOccupancy {
  private static final Logger log = LoggerFactory.getLogger(RedisRoomOccupancy.class);
  /** How long a room's last sequence is kept after a change: longer than any clock step after a failover. */
  private static final Duration SEQUENCE_TTL = Duration.ofMinutes(1);
  /** Rooms the sweep looks at in one round (the rest wait for the next one). */
  private static final int SWEEP_BATCH = 1000;
  /** The kind of change a script answers for occupied (0 is vacated). */
  private static final long OCCUPIED = 1;
  /** What the sweep answers for a room that still has a live entry. */
  private static final long STILL_LIVE = 2;

  private record Room(String namespace, String room) {}

  private final String nodeId;
  private final RedisConnections redis;
  private final Keys keys;
  private final Duration ttl;
  /** This node's rooms with members, by scoped name; changed together with the command that mirrors it, under the lock. */
  private final Map<String, Room> local = new LinkedHashMap<>();
  /** Decisions Redis has not answered yet (or whose changes are not handed over yet). */
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  /** The last decision of each room not answered yet, by scoped name. */
  private final ConcurrentHashMap<String, CompletableFuture<?>> lastByRoom = new ConcurrentHashMap<>();
  /** Empty until started: nothing is followed, refreshed or swept before. */
  private volatile Consumer<OccupancyChange> changes;

  RedisRoomOccupancy(String nodeId, RedisConnections redis, Keys keys, Duration ttl) {
    this.nodeId = nodeId;
    this.redis = redis;
    this.keys = keys;
    this.ttl = ttl;
  }

  @Override
  public void start(Consumer<OccupancyChange> changes) {
    this.changes = changes;
  }

  @Override
  public synchronized void entered(String namespace, String room) {
    String scoped = Keys.scoped(namespace, room);
    Room entry = new Room(namespace, room);
    local.put(scoped, entry);
    long now = System.currentTimeMillis();
    enter(scoped, entry, now);
    redis.send(c -> c.zadd(keys.occupancyIndex(), (double) (now + ttl.toMillis()), b(scoped)));
  }

  @Override
  public synchronized void left(String namespace, String room) {
    String scoped = Keys.scoped(namespace, room);
    Room entry = new Room(namespace, room);
    local.remove(scoped);
    long now = System.currentTimeMillis();
    report(entry, redis.send(c -> c.<List<Object>>eval(OccupancyScripts.LEAVE, ScriptOutputType.MULTI, roomKeys(scoped),
        b(nodeId), b(now), b(SEQUENCE_TTL.toMillis()))));
  }

  @Override
  public CompletableFuture<Void> decided(String namespace, String room) {
    CompletableFuture<?> last = lastByRoom.get(Keys.scoped(namespace, room));
    return last == null ? CompletableFuture.completedFuture(null) : last.handle((result, error) -> null);
  }

  @Override
  public CompletableFuture<Void> settled() {
    return CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).handle((ok, error) -> null);
  }

  /** Writes this node's entries again with a fresh expiry, deciding rooms entered while Redis was away. */
  synchronized void refresh() {
    if (changes == null || local.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    double expiry = now + ttl.toMillis();
    List<ScoredValue<byte[]>> indexed = new ArrayList<>(local.size());
    local.forEach((scoped, entry) -> {
      enter(scoped, entry, now);
      indexed.add(ScoredValue.just(expiry, b(scoped)));
    });
    byte[] index = keys.occupancyIndex();
    for (int from = 0; from < indexed.size(); from += SWEEP_BATCH) {
      @SuppressWarnings("unchecked")
      ScoredValue<byte[]>[] chunk = indexed.subList(from, Math.min(indexed.size(), from + SWEEP_BATCH)).toArray(ScoredValue[]::new);
      redis.send(c -> c.zadd(index, chunk));
    }
  }

  /** Reports the rooms whose every entry expired (their nodes stopped) as vacated, once over the cluster. */
  void sweep() {
    if (changes == null) {
      return;
    }
    long now = System.currentTimeMillis();
    byte[] index = keys.occupancyIndex();
    redis.send(c -> c.zrangebyscore(index, Range.create(Double.NEGATIVE_INFINITY, (double) now), Limit.create(0, SWEEP_BATCH)))
        .thenAccept(expired -> expired.forEach(name -> sweep(index, Keys.text(name), now)));
  }

  private void sweep(byte[] index, String scoped, long now) {
    Keys.unscoped(scoped).ifPresentOrElse(room -> {
      CompletableFuture<List<Object>> swept = redis.send(c -> c.<List<Object>>eval(OccupancyScripts.SWEEP,
          ScriptOutputType.MULTI, roomKeys(scoped), b(now), b(SEQUENCE_TTL.toMillis())));
      report(new Room(room.namespace(), room.room()), swept);
      swept.thenAccept(result -> {
        if (result.isEmpty() || !Long.valueOf(STILL_LIVE).equals(result.get(0))) {
          forget(index, scoped, now);
        }
      });
    }, () -> forget(index, scoped, now));
  }

  private void forget(byte[] index, String scoped, long now) {
    redis.send(c -> c.<Long>eval(OccupancyScripts.FORGET, ScriptOutputType.INTEGER, new byte[][] {index}, b(scoped), b(now)));
  }

  /** Sends the enter script for one room; under the lock, so in order with leaving. */
  private void enter(String scoped, Room entry, long now) {
    long expiry = now + ttl.toMillis();
    report(entry, redis.send(c -> c.<List<Object>>eval(OccupancyScripts.ENTER, ScriptOutputType.MULTI, roomKeys(scoped),
        b(nodeId), b(expiry), b(now), b(2 * ttl.toMillis()), b(SEQUENCE_TTL.toMillis()))));
  }

  /** Hands the changes a script decided to the listener. */
  private void report(Room room, CompletableFuture<List<Object>> decided) {
    CompletableFuture<List<Object>> reported = decided.whenComplete((result, error) -> {
      if (error != null) {
        log.debug("occupancy of {} in {} not decided: {}", room.room(), room.namespace(), error.toString());
        return;
      }
      for (int i = 0; i + 1 < result.size(); i += 2) {
        if (result.get(i) instanceof Long kind && result.get(i + 1) instanceof Long sequence) {
          changes.accept(new OccupancyChange(room.namespace(), room.room(), kind == OCCUPIED, sequence));
        }
      }
    });
    if (!reported.isDone()) {
      String scoped = Keys.scoped(room.namespace(), room.room());
      inFlight.add(reported);
      lastByRoom.put(scoped, reported);
      reported.whenComplete((result, error) -> {
        inFlight.remove(reported);
        lastByRoom.remove(scoped, reported);
      });
    }
  }

  private byte[][] roomKeys(String scoped) {
    return new byte[][] {keys.occupancy(scoped), keys.occupancySequence(scoped)};
  }

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] b(long number) {
    return b(Long.toString(number));
  }
}
