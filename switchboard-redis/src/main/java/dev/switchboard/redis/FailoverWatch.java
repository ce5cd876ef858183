package dev.switchboard.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import io.lettuce.core.cluster.models.partitions.Partitions;
import java.time.Duration;
import io.lettuce.core.cluster.SlotHash;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the slots of a Redis Cluster master with a replica that this node lost its connection
 * to: until the
 * connection is made again, the topology is read every {@link #REFRESH_EVERY}, and once every slot
 * the master owned has another master that is up (a replica took them over) the listener learns
 * it, so commands and subscriptions move to the new master within moments of its promotion, not at
 * Lettuce's next rate-limited refresh.
 *
 * <p>Those slots are {@linkplain #holds held} until {@link #SETTLE} after that: every node follows
 * the promotion within about one refresh and subscribes its channels on the new master again, and a
 * message published there before a node did so would never reach that node's members.
 */
final class FailoverWatch {
  private static final Logger log = LoggerFactory.getLogger(FailoverWatch.class);
  static final Duration REFRESH_EVERY = Duration.ofMillis(200);
  /** How long the slots of a master just taken over stay held: two refreshes and a subscription's round trip. */
  static final Duration SETTLE = Duration.ofMillis(400);

  private final RedisClusterClient client;
  private final ScheduledExecutorService timer;
  private final Consumer<SocketAddress> followed;
  private final Map<SocketAddress, Lost> following = new ConcurrentHashMap<>();

  /** A lost master: the slots it owned when it was lost, the refresh following them, and since when. */
  private record Lost(BitSet slots, ScheduledFuture<?> refreshing, long since, AtomicBoolean reading) {}

  /** Slots taken over by a new master at {@code nanos}: held until {@link #SETTLE} after. */
  private record TakenOver(BitSet slots, long nanos) {}

  private final List<TakenOver> settling = new CopyOnWriteArrayList<>();

  FailoverWatch(RedisClusterClient client, ScheduledExecutorService timer, Consumer<SocketAddress> followed) {
    this.client = client;
    this.timer = timer;
    this.followed = followed;
  }

  /** The connection to the master at {@code address} is lost: reads the topology until its slots have another owner. */
  void lost(SocketAddress address) {
    following.computeIfAbsent(address, lost -> {
      BitSet slots = new BitSet(SlotHash.SLOT_COUNT);
      for (RedisClusterNode node : client.getPartitions()) {
        if (at(node, lost) && node.getRole().isUpstream() && hasReplica(node)) {
          node.getSlots().forEach(slots::set);
        }
      }
      if (slots.isEmpty()) {
        return null; // not a master with a replica: nobody will take its slots over
      }
      try {
        return new Lost(slots,
            timer.scheduleWithFixedDelay(() -> refresh(lost), 0, REFRESH_EVERY.toMillis(), TimeUnit.MILLISECONDS),
            System.nanoTime(), new AtomicBoolean());
      } catch (RejectedExecutionException closing) {
        return null;
      }
    });
  }

  /** The connection to {@code address} is up again: nothing more to follow there. */
  void reconnected(SocketAddress address) {
    Lost lost = following.remove(address);
    if (lost != null) {
      lost.refreshing().cancel(false);
    }
  }

  /** Whether some master has a replica, which may take over its slots when it fails. */
  boolean replicated() {
    for (RedisClusterNode node : client.getPartitions()) {
      if (node.getSlaveOf() != null && !node.getSlaveOf().isEmpty()) {
        return true;
      }
    }
    return false;
  }

  /** Whether a lost master's slots are being followed now: commands to them are refused meanwhile. */
  boolean following() {
    return !following.isEmpty();
  }

  /**
   * Whether a publish to {@code slot} should wait: its master is lost and not yet taken over, or
   * was taken over less than {@link #SETTLE} ago; -1, a command without a key, never waits.
   */
  boolean holds(int slot) {
    if (slot < 0) {
      return false;
    }
    for (Lost lost : following.values()) {
      if (lost.slots().get(slot)) {
        return true;
      }
    }
    long now = System.nanoTime();
    for (TakenOver taken : settling) {
      if (now - taken.nanos() >= SETTLE.toNanos()) {
        settling.remove(taken);
      } else if (taken.slots().get(slot)) {
        return true;
      }
    }
    return false;
  }

  private void refresh(SocketAddress address) {
    Lost reading = following.get(address);
    if (reading == null || !reading.reading().compareAndSet(false, true)) {
      return; // the last read has not answered yet
    }
    client.refreshPartitionsAsync().whenComplete((ok, error) -> {
      reading.reading().set(false);
      Lost lost = following.get(address);
      if (error == null && lost != null && takenOver(address, lost.slots())) {
        settling.add(new TakenOver(lost.slots(), System.nanoTime()));
        reconnected(address);
        log.info("the slots of the Redis Cluster master at {} have a new owner, {} ms after its connection was lost",
            address, (System.nanoTime() - lost.since()) / 1_000_000);
        followed.accept(address);
      }
    });
  }

  /** Whether every one of {@code slots} is owned by a master that is up and not at {@code address}. */
  private boolean takenOver(SocketAddress address, BitSet slots) {
    Partitions partitions = client.getPartitions();
    for (int slot = slots.nextSetBit(0); slot >= 0; slot = slots.nextSetBit(slot + 1)) {
      RedisClusterNode owner = partitions.getPartitionBySlot(slot);
      if (owner == null || at(owner, address) || !owner.getRole().isUpstream()
          || owner.is(RedisClusterNode.NodeFlag.FAIL) || owner.is(RedisClusterNode.NodeFlag.EVENTUAL_FAIL)) {
        return false;
      }
    }
    return true;
  }

  private boolean hasReplica(RedisClusterNode master) {
    for (RedisClusterNode node : client.getPartitions()) {
      if (master.getNodeId().equals(node.getSlaveOf())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code node} listens at {@code address}. */
  static boolean at(RedisClusterNode node, SocketAddress address) {
    RedisURI uri = node.getUri();
    if (uri == null || !(address instanceof InetSocketAddress socket) || uri.getPort() != socket.getPort()) {
      return false;
    }
    return uri.getHost().equals(socket.getHostString())
        || socket.getAddress() != null && uri.getHost().equals(socket.getAddress().getHostAddress());
  }

  /** Stops following. */
  void close() {
    following.values().forEach(lost -> lost.refreshing().cancel(false));
    following.clear();
  }
}
