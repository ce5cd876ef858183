package dev.switchboard.redis;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.presence.PresenceStore.Restored;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.ZAddArgs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence of one namespace in Redis, shared by every node. Each connection in a room is an
 * entry whose expiry its node pushes forward on every {@link #refresh()}; the member is present
 * while any of their connections is live. A node that dies stops refreshing: within the entry
 * ttl its entries expire, and the next {@link #sweep()} of a node with members in the same room,
 * or of any node once the room's every entry expired (found through an index of rooms by their
 * latest expiry), removes them atomically and hears of each member left without connections,
 * exactly once over the cluster, to announce {@code presence:leave}. While Redis is unreachable
 * the store answers from this node's own connections; when it is back the refresh writes them
 * again, and the members that expired meanwhile (or arrived on this node unrecorded) are heard of
 * as restored, to announce {@code presence:join} to the other nodes' members.
 */
final class RedisPresenceStore implements PresenceStore {
  private static final Logger log = LoggerFactory.getLogger(RedisPresenceStore.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** Rooms written to, or swept from, the index in one command. */
  private static final int INDEX_BATCH = 1000;
  /** How long a member announced gone because their entries expired is remembered, to announce them back. */
  private static final Duration GONE_TTL = Duration.ofHours(1);

  /** One of this node's connections; {@code recorded} once Redis answered its addition (or a refresh). */
  private record Local(PresenceMember member, String json, boolean recorded) {
    Local recordedNow() {
      return recorded ? this : new Local(member, json, true);
    }
  }

  private final String namespace;
  private final RedisConnections redis;
  private final Keys keys;
  private final Duration ttl;
  private final Duration handOverHold;
  /** This node's connections by room; changed together with the command that mirrors it, under the lock. */
  private final ConcurrentHashMap<String, Map<String, Local>> local = new ConcurrentHashMap<>();
  private volatile BiConsumer<String, PresenceMember> expiredListener = (room, member) -> {};
  private volatile Consumer<Restored> restoredListener = restored -> {};

  RedisPresenceStore(String namespace, RedisConnections redis, Keys keys, Duration ttl, Duration handOverHold) {
    this.namespace = namespace;
    this.redis = redis;
    this.keys = keys;
    this.ttl = ttl;
    this.handOverHold = handOverHold;
  }

  @Override
  public CompletableFuture<Boolean> addAsync(String room, PresenceMember member, String connectionId) {
    String json = json(member);
    long now = System.currentTimeMillis();
    CompletableFuture<Long> arrived;
    Local entry = new Local(member, json, false);
    synchronized (this) {
      local.computeIfAbsent(room, r -> new LinkedHashMap<>()).put(connectionId, entry);
      String prefix = keys.presence(namespace, room);
      arrived = redis.sendBeforeDeadline(PresenceScripts.ADD, roomKeys(prefix), List.of(b(connectionId), b(member.id()),
          b(json), b(now + ttl.toMillis()), b(now), b(2 * ttl.toMillis()), b(prefix + "k:"))).thenApply(reply -> (Long) reply.get(0));
      redis.send(c -> c.zadd(keys.presenceIndex(namespace), (double) (now + ttl.toMillis()), b(room)));
    }
    return arrived.handle((result, error) -> {
      if (error == null) {
        recorded(room, Map.of(connectionId, entry));
        return result == 1L;
      }
      return !hasOtherLocal(room, member.id(), connectionId);
    });
  }

  @Override
  public CompletableFuture<Optional<PresenceMember>> removeAsync(String room, String connectionId) {
    long now = System.currentTimeMillis();
    Local removed;
    CompletableFuture<byte[]> gone;
    synchronized (this) {
      Map<String, Local> connections = local.get(room);
      removed = connections == null ? null : connections.remove(connectionId);
      if (connections != null && connections.isEmpty()) {
        local.remove(room);
      }
      String prefix = keys.presence(namespace, room);
      gone = redis.sendBeforeDeadline(PresenceScripts.REMOVE, roomKeys(prefix), List.of(b(connectionId), b(now),
          b(prefix + "k:"))).thenApply(reply -> reply.get(0) instanceof byte[] json ? json : null);
    }
    return gone.handle((json, error) -> {
      if (error == null) {
        return Optional.ofNullable(json).flatMap(RedisPresenceStore::member);
      }
      return removed == null || hasOtherLocal(room, removed.member().id(), connectionId)
          ? Optional.empty() : Optional.of(removed.member());
    });
  }

  /**
   * Stops refreshing the connection's entry and holds it present for the hand-over hold (when that
   * is longer than what its last refresh gave it): long enough for its client to come back through
   * its reconnection backoff to the node that takes the connection back and refreshes it. Should
   * none do so, it expires then, and a sweep announces the member's leave.
   */
  @Override
  public CompletableFuture<Optional<PresenceMember>> handOverAsync(String room, String connectionId) {
    long until = System.currentTimeMillis() + handOverHold.toMillis();
    CompletableFuture<List<Object>> held;
    synchronized (this) {
      Map<String, Local> connections = local.get(room);
      if (connections != null) {
        connections.remove(connectionId);
        if (connections.isEmpty()) {
          local.remove(room);
        }
      }
      String prefix = keys.presence(namespace, room);
      held = redis.sendBeforeDeadline(PresenceScripts.HOLD, roomKeys(prefix), List.of(b(connectionId), b(until),
          b(prefix + "k:"), b(handOverHold.plus(ttl).toMillis())));
      redis.send(c -> c.zadd(keys.presenceIndex(namespace), ZAddArgs.Builder.gt(), (double) until, b(room)));
    }
    return held.handle((reply, error) -> {
      if (error != null) {
        log.debug("presence of {} in {} not held for its hand-over: {}", connectionId, room, error.toString());
      }
      return Optional.empty();
    });
  }

  @Override
  public CompletableFuture<List<PresenceMember>> membersAsync(String room) {
    String prefix = keys.presence(namespace, room);
    long now = System.currentTimeMillis();
    CompletableFuture<List<Object>> found = redis.send(c -> c.<List<Object>>eval(PresenceScripts.MEMBERS,
        ScriptOutputType.MULTI, roomKeys(prefix), b(now)));
    return found.handle((list, error) -> {
      if (error != null) {
        return localMembers(room);
      }
      List<PresenceMember> members = new ArrayList<>(list.size());
      for (Object json : list) {
        if (json instanceof byte[] bytes) {
          member(bytes).ifPresent(members::add);
        }
      }
      return List.copyOf(members);
    });
  }

  /** Checks and holds in one script, so that of several nodes promising the last place only one does. */
  @Override
  public CompletableFuture<Boolean> reserve(String room, String memberId, int maxMembers, Duration hold) {
    String prefix = keys.presence(namespace, room);
    long now = System.currentTimeMillis();
    CompletableFuture<Long> held = redis.send(c -> c.<Long>eval(PresenceScripts.RESERVE, ScriptOutputType.INTEGER, roomKeys(prefix),
        b(memberId), b(maxMembers), b(now), b(now + hold.toMillis()), b(Math.max(2 * ttl.toMillis(), hold.toMillis()))));
    return held.handle((result, error) -> {
      if (error != null) {
        // As connection caps do, an unreachable store admits rather than locking everyone out.
        log.debug("place in {} for {} not checked: {}", room, memberId, error.toString());
        return true;
      }
      return result == 1L;
    });
  }

  @Override
  public boolean add(String room, PresenceMember member, String connectionId) {
    return await(addAsync(room, member, connectionId));
  }

  @Override
  public Optional<PresenceMember> remove(String room, String connectionId) {
    return await(removeAsync(room, connectionId));
  }

  /** Waits for the shared store (up to 5 s); never call it on an event loop. */
  @Override
  public List<PresenceMember> members(String room) {
    return await(membersAsync(room));
  }

  @Override
  public void onExpired(BiConsumer<String, PresenceMember> listener) {
    this.expiredListener = listener;
  }

  @Override
  public void onRestored(Consumer<Restored> listener) {
    this.restoredListener = listener;
  }

  /** Writes this node's entries again with a fresh expiry (and recreates them after Redis lost its data). */
  @Override
  public synchronized void refresh() {
    long expiry = System.currentTimeMillis() + ttl.toMillis();
    List<ScoredValue<byte[]>> indexed = new ArrayList<>(local.size());
    local.keySet().forEach(room -> indexed.add(ScoredValue.just((double) expiry, b(room))));
    byte[] index = keys.presenceIndex(namespace);
    for (int from = 0; from < indexed.size(); from += INDEX_BATCH) {
      @SuppressWarnings("unchecked")
      ScoredValue<byte[]>[] chunk = indexed.subList(from, Math.min(indexed.size(), from + INDEX_BATCH)).toArray(ScoredValue[]::new);
      redis.send(c -> c.zadd(index, chunk));
    }
    long now = System.currentTimeMillis();
    local.forEach((room, connections) -> {
      String prefix = keys.presence(namespace, room);
      Map<String, Local> written = new LinkedHashMap<>(connections);
      List<byte[]> args = new ArrayList<>(4 + 4 * written.size());
      args.add(b(expiry));
      args.add(b(2 * ttl.toMillis()));
      args.add(b(prefix + "k:"));
      args.add(b(now));
      written.forEach((connection, entry) -> {
        args.add(b(connection));
        args.add(b(entry.member().id()));
        args.add(b(entry.json()));
        args.add(b(entry.recorded() ? 0 : 1));
      });
      redis.sendBeforeDeadline(PresenceScripts.REFRESH, roomKeys(prefix), args).thenAccept(restored -> {
            recorded(room, written);
            restored(room, restored.get(0), true);
            restored(room, restored.get(1), false);
          });
    });
  }

  /** Marks {@code entries} of {@code room} recorded in Redis, unless they changed since. */
  private synchronized void recorded(String room, Map<String, Local> entries) {
    Map<String, Local> connections = local.get(room);
    if (connections != null) {
      entries.forEach((connection, entry) -> {
        if (!entry.recorded()) {
          connections.replace(connection, entry, entry.recordedNow());
        }
      });
    }
  }

  private void restored(String room, Object members, boolean expired) {
    if (members instanceof List<?> list) {
      for (Object json : list) {
        if (json instanceof byte[] bytes) {
          member(bytes).ifPresent(member -> {
            log.debug("presence: {} in {} restored after this node could not reach Redis", member.id(), room);
            restoredListener.accept(new Restored(room, member, expired));
          });
        }
      }
    }
  }

  /**
   * Removes expired entries of the rooms this node has members in, and of the rooms whose every
   * entry expired, announcing members left with none.
   */
  void sweep() {
    long now = System.currentTimeMillis();
    Set<String> mine = Set.copyOf(local.keySet());
    mine.forEach(room -> sweep(room, now));
    byte[] index = keys.presenceIndex(namespace);
    redis.send(c -> c.zrangebyscore(index, Range.create(Double.NEGATIVE_INFINITY, (double) now), Limit.create(0, INDEX_BATCH)))
        .thenAccept(expired -> expired.stream().map(Keys::text).filter(room -> !mine.contains(room)).forEach(room ->
            sweep(room, now).thenCompose(swept -> redis.send(c -> c.zcard(b(keys.presence(namespace, room) + "c"))))
                .thenAccept(left -> {
                  if (left == 0) {
                    redis.send(c -> c.<Long>eval(OccupancyScripts.FORGET, ScriptOutputType.INTEGER, new byte[][] {index},
                        b(room), b(now)));
                  }
                })));
  }

  private CompletableFuture<Void> sweep(String room, long now) {
    String prefix = keys.presence(namespace, room);
    return redis.sendBeforeDeadline(PresenceScripts.SWEEP, roomKeys(prefix),
        List.of(b(now), b(prefix + "k:"), b(GONE_TTL.toMillis()))).thenAccept(reply -> {
          for (Object json : (List<?>) reply.get(0)) {
            if (json instanceof byte[] bytes) {
              member(bytes).ifPresent(member -> {
                log.debug("presence: {} in {} expired (their node stopped refreshing)", member.id(), room);
                expiredListener.accept(room, member);
              });
            }
          }
        });
  }

  private boolean hasOtherLocal(String room, String memberId, String connectionId) {
    synchronized (this) {
      Map<String, Local> connections = local.get(room);
      if (connections == null) {
        return false;
      }
      return connections.entrySet().stream()
          .anyMatch(e -> !e.getKey().equals(connectionId) && e.getValue().member().id().equals(memberId));
    }
  }

  private synchronized List<PresenceMember> localMembers(String room) {
    Map<String, PresenceMember> byId = new LinkedHashMap<>();
    local.getOrDefault(room, Map.of()).values().forEach(entry -> byId.putIfAbsent(entry.member().id(), entry.member()));
    return List.copyOf(byId.values());
  }

  /** Connections, member of each connection, member info, places held, members gone ({@link PresenceScripts}). */
  private static byte[][] roomKeys(String prefix) {
    return new byte[][] {b(prefix + "c"), b(prefix + "m"), b(prefix + "i"), b(prefix + "r"), b(prefix + "g")};
  }

  private static String json(PresenceMember member) {
    ObjectNode json = MAPPER.createObjectNode();
    json.put("id", member.id());
    json.set("info", MAPPER.valueToTree(member.info()));
    return json.toString();
  }

  private static Optional<PresenceMember> member(byte[] json) {
    try {
      JsonNode node = MAPPER.readTree(json);
      Map<String, Object> info = MAPPER.convertValue(node.path("info"), new TypeReference<Map<String, Object>>() {});
      return Optional.of(new PresenceMember(node.path("id").asText(), info == null ? Map.of() : info));
    } catch (IOException | IllegalArgumentException e) {
      log.warn("unreadable presence entry: {}", e.toString());
      return Optional.empty();
    }
  }

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] b(long number) {
    return b(Long.toString(number));
  }

  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Redis", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Redis did not answer: " + e, e);
    }
  }
}
