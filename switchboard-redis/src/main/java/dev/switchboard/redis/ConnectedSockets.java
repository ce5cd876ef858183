package dev.switchboard.redis;

import dev.switchboard.cluster.DisconnectedSocket;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recoverable state of this node's connected sockets, kept in Redis as it changes, so that a
 * client whose node dies without a word (SIGKILL, a lost machine) recovers on another node as if
 * its socket had been kept at disconnection.
 *
 * <p>Layout: one hash per node, field {@code <pid> <namespace>}, value the socket as
 * {@link DisconnectedSockets} writes it (with this node, whose stream holds what was sent to the
 * socket alone on a Redis Cluster). Every write and every heartbeat of the node push the hash's
 * expiry to the recovery window plus the node's entry ttl (after which the other nodes count it
 * dead), so it outlives its node by at most that long and never expires while the node lives,
 * even when a heartbeat comes late. A pid does not tell its node (a recovered socket keeps its pid on
 * the node that took it back), so a sorted set of the nodes that keep such a hash, scored by their
 * last heartbeat, tells a recovering node which hashes may hold it: those of nodes heard from
 * within the window, a handful. The field is taken with HDEL, so one node at most recovers it.
 *
 * <p>Writes are coalesced: a change marks its socket dirty (the latest state wins) and a flush
 * {@link #FLUSH_DELAY} after the first change writes every dirty socket, one script per
 * {@link #BATCH} sockets, all sent at once (one round trip). One flush at most is in flight, so
 * a slow Redis makes flushes bigger, not more numerous, and the dirty set holds at most one entry
 * per socket of this node. A change in the last {@code FLUSH_DELAY} before a crash is lost: the
 * client recovers the state before it. A write that fails is made again with the next heartbeat,
 * and every socket's last state is written again when Redis comes back (it may have restarted empty).
 */
final class ConnectedSockets {
  private static final Logger log = LoggerFactory.getLogger(ConnectedSockets.class);
  /** How long changes are gathered before they are written. */
  static final Duration FLUSH_DELAY = Duration.ofMillis(20);
  /** Most sockets written by one script. */
  static final int BATCH = 500;

  /**
   * KEYS[1] the node's hash; ARGV[1] its ttl in ms, ARGV[2] the number n of fields to set, then n
   * field-value pairs, then the fields to delete.
   */
  static final String WRITE = """
      local n = tonumber(ARGV[2])
      if n > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 3, 2 + 2 * n)) end
      if #ARGV > 2 + 2 * n then redis.call('HDEL', KEYS[1], unpack(ARGV, 3 + 2 * n, #ARGV)) end
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      return n
      """;

  /** A socket disconnected: its field is deleted. */
  private static final Supplier<DisconnectedSocket> GONE = () -> null;

  private final String nodeId;
  private final RedisConnections redis;
  private final Keys keys;
  private final byte[] hash;
  private final byte[] node;
  /** How long after its last heartbeat a node counts as dead. */
  private final long graceMillis;
  private final ConcurrentHashMap<String, Supplier<DisconnectedSocket>> dirty = new ConcurrentHashMap<>();
  /** The last state written of each socket connected here, written again when Redis may have lost it. */
  private final ConcurrentHashMap<String, Supplier<DisconnectedSocket>> written = new ConcurrentHashMap<>();
  /** Sockets whose write failed, written again with the next heartbeat (not at once: Redis may be away). */
  private final Set<String> unsent = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  /** The longest recovery window asked for, in ms; 0 while nothing was kept. */
  private final AtomicLong windowMillis = new AtomicLong();

  ConnectedSockets(String nodeId, RedisConnections redis, Keys keys, Duration entryTtl) {
    this.nodeId = nodeId;
    this.graceMillis = entryTtl.toMillis();
    this.redis = redis;
    this.keys = keys;
    this.hash = keys.connectedSockets(nodeId);
    this.node = Keys.bytes(nodeId);
    redis.onReconnect(this::writeAgain);
  }

  /** Marks every socket connected here dirty again; on the timer thread, after Redis came back. */
  private void writeAgain() {
    if (windowMillis.get() == 0) {
      return;
    }
    heartbeat();
    written.forEach(this::retry);
  }

  /** Marks {@code field} dirty again with {@code state} unless a later change did already. */
  private void retry(String field, Supplier<DisconnectedSocket> state) {
    if (dirty.putIfAbsent(field, state) == null && scheduled.compareAndSet(false, true)) {
      redis.timer().schedule(this::flush, FLUSH_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** The socket {@code pid} of {@code namespace} is connected here with {@code state}; written soon. */
  void changed(String namespace, String pid, Supplier<DisconnectedSocket> state, Duration window) {
    long millis = window.toMillis();
    if (windowMillis.get() < millis && windowMillis.getAndAccumulate(millis, Math::max) == 0) {
      heartbeat();
    }
    mark(field(namespace, pid), state);
  }

  /** The socket {@code pid} of {@code namespace} disconnected; its field goes soon. */
  void gone(String namespace, String pid) {
    if (windowMillis.get() > 0) {
      mark(field(namespace, pid), GONE);
    }
  }

  private void mark(String field, Supplier<DisconnectedSocket> state) {
    dirty.put(field, state);
    if (scheduled.compareAndSet(false, true)) {
      redis.timer().schedule(this::flush, FLUSH_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Writes every dirty socket; on the timer thread. The next flush is scheduled only once this one
   * is answered (then at once if changes came meanwhile).
   */
  private void flush() {
    List<CompletableFuture<?>> writes = new ArrayList<>();
    try {
      List<byte[]> sets = new ArrayList<>();
      List<byte[]> deletes = new ArrayList<>();
      List<String> batch = new ArrayList<>();
      for (Map.Entry<String, Supplier<DisconnectedSocket>> entry : dirty.entrySet()) {
        String field = entry.getKey();
        Supplier<DisconnectedSocket> state = entry.getValue();
        // Removed only if unchanged since read: a later change stays for the next flush.
        dirty.remove(field, state);
        batch.add(field);
        DisconnectedSocket socket = state.get();
        if (socket == null) {
          written.remove(field);
          deletes.add(Keys.bytes(field));
        } else {
          written.put(field, state);
          sets.add(Keys.bytes(field));
          sets.add(DisconnectedSockets.write(socket, Optional.of(nodeId)));
        }
        if (batch.size() >= BATCH) {
          writes.add(write(sets, deletes, batch));
          sets = new ArrayList<>();
          deletes = new ArrayList<>();
          batch = new ArrayList<>();
        }
      }
      if (!batch.isEmpty()) {
        writes.add(write(sets, deletes, batch));
      }
    } catch (RuntimeException e) {
      log.warn("the state of connected sockets could not be written: {}", e.toString());
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).whenComplete((done, error) -> {
      scheduled.set(false);
      if (!dirty.isEmpty() && scheduled.compareAndSet(false, true)) {
        redis.timer().schedule(this::flush, FLUSH_DELAY.toMillis(), TimeUnit.MILLISECONDS);
      }
    });
  }

  /** Writes one batch; when it fails, its sockets are written again with the next heartbeat. */
  private CompletableFuture<Long> write(List<byte[]> sets, List<byte[]> deletes, List<String> batch) {
    List<byte[]> args = new ArrayList<>(2 + sets.size() + deletes.size());
    args.add(RedisStreams.number(windowMillis.get() + graceMillis));
    args.add(RedisStreams.number(sets.size() / 2));
    args.addAll(sets);
    args.addAll(deletes);
    return redis.send(c -> c.<Long>eval(WRITE, ScriptOutputType.INTEGER, new byte[][] {hash},
        args.toArray(byte[][]::new))).whenComplete((done, error) -> {
          if (error != null) {
            unsent.addAll(batch);
          }
        });
  }

  /**
   * This node's sign of life: its hash lives another window, and recovering nodes look in it;
   * on the timer thread, with the node's heartbeat. Nothing while no socket was kept.
   */
  void heartbeat() {
    if (windowMillis.get() == 0) {
      return;
    }
    for (String field : unsent) {
      if (unsent.remove(field)) {
        // Its latest state: a later flush may have written a newer one already.
        retry(field, written.getOrDefault(field, GONE));
      }
    }
    long ttl = windowMillis.get() + graceMillis;
    long now = System.currentTimeMillis();
    byte[] holders = keys.connectedSocketHolders();
    redis.send(c -> c.pexpire(hash, ttl));
    redis.send(c -> c.zadd(holders, (double) now, node));
    redis.send(c -> c.zremrangebyscore(holders, Range.create(Double.NEGATIVE_INFINITY, (double) (now - ttl))));
  }

  /**
   * Forgets this node's sockets as it stops, waiting up to a second for Redis: they were kept at
   * disconnection, and a stale copy must not be found by a later recovery.
   */
  void stop() {
    if (windowMillis.get() == 0) {
      return;
    }
    dirty.clear();
    written.clear();
    unsent.clear();
    try {
      CompletableFuture.allOf(redis.send(c -> c.del(hash)), redis.send(c -> c.zrem(keys.connectedSocketHolders(), node)))
          .get(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // the hash expires on its own
    }
  }

  /**
   * Takes the connected state of the socket {@code pid} of {@code namespace} from the hash of a
   * node heard from within the recovery window, other than this one (here it is connected, or kept at
   * disconnection); empty when none holds it, or another node took it first.
   */
  CompletableFuture<Optional<DisconnectedSockets.Kept>> take(String namespace, String pid) {
    byte[] field = Keys.bytes(field(namespace, pid));
    // Holders are trimmed to the window by every heartbeat, and a dead node's hash expires.
    return redis.send(c -> c.zrange(keys.connectedSocketHolders(), 0, -1))
        .thenCompose(nodes -> {
          List<byte[]> hashes = new ArrayList<>();
          for (byte[] other : nodes) {
            String id = new String(other, StandardCharsets.UTF_8);
            if (!id.equals(nodeId)) {
              hashes.add(keys.connectedSockets(id));
            }
          }
          List<CompletableFuture<byte[]>> reads = hashes.stream()
              .map(key -> redis.send(c -> c.hget(key, field))).toList();
          return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCompose(all -> {
            for (int i = 0; i < reads.size(); i++) {
              byte[] state = reads.get(i).join();
              if (state != null) {
                byte[] key = hashes.get(i);
                return redis.send(c -> c.hdel(key, field))
                    .thenApply(taken -> taken == 1 ? read(state) : Optional.<DisconnectedSockets.Kept>empty());
              }
            }
            return CompletableFuture.completedFuture(Optional.<DisconnectedSockets.Kept>empty());
          });
        });
  }

  /**
   * The socket kept at disconnection ({@code state}, read with GETDEL), else the connected state
   * that {@code live}, when on, takes from a node that died without keeping it.
   */
  static CompletableFuture<Optional<DisconnectedSockets.Kept>> orConnected(byte[] state,
      Optional<ConnectedSockets> live, String namespace, String pid) {
    if (state != null) {
      return CompletableFuture.completedFuture(read(state));
    }
    return live.map(sockets -> sockets.take(namespace, pid))
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
  }

  private static Optional<DisconnectedSockets.Kept> read(byte[] state) {
    try {
      return Optional.of(DisconnectedSockets.read(state));
    } catch (IOException | RuntimeException e) {
      log.warn("a socket's state could not be read back: {}", e.toString());
      return Optional.empty();
    }
  }

  private static String field(String namespace, String pid) {
    return pid + " " + namespace;
  }
}
