package dev.switchboard.redis;

import dev.switchboard.cluster.Stamp;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's kept broadcasts on their way through Redis, so that its own members get each once.
 * Normally a broadcast comes back from its channel (and is delivered then) and its script answers.
 * When the script's answer does not come in time, the node cannot tell whether Redis ran it: if a
 * copy already came back from a channel, Redis did, and the broadcast is not lost; if none did,
 * the node delivers it itself, without a position, and any copy that still comes back later (Redis
 * ran the script just before it hung) is dropped. Each broadcast has a sequence number; on a Redis
 * Cluster, where each target room has its own script, a copy is also told apart by the index of
 * the room its channel is for (-1 for a channel that carries the whole broadcast, and for every
 * copy on one Redis server, where one script publishes them all).
 */
final class OwnBroadcasts {
  /** How long a broadcast given up on is remembered, to drop a copy that comes back late. */
  private static final long ABANDONED_NANOS = TimeUnit.MINUTES.toNanos(1);

  private record Copy(long sequence, int index) {}

  private enum State { WAITING, HEARD, ABANDONED }

  private record Entry(State state, Stamp stamp, long since) {}

  /** The index of every copy on one Redis server, and of a copy whose channel carries the whole broadcast. */
  static final int WHOLE = -1;

  private final AtomicLong sequences = new AtomicLong();
  private final ConcurrentHashMap<Copy, Entry> copies = new ConcurrentHashMap<>();

  /** A new broadcast's sequence number. */
  long next() {
    return sequences.incrementAndGet();
  }

  /** A copy of broadcast {@code sequence} for room {@code index} will come back from its channel. */
  void expect(long sequence, int index) {
    copies.put(new Copy(sequence, index), new Entry(State.WAITING, null, System.nanoTime()));
  }

  /**
   * A copy came back from its channel with {@code stamp}: whether to deliver it (not when the
   * broadcast was already given up on and delivered without it).
   */
  boolean heard(long sequence, int index, Stamp stamp) {
    Entry entry = copies.computeIfPresent(new Copy(sequence, index),
        (copy, now) -> now.state() == State.WAITING ? new Entry(State.HEARD, stamp, now.since()) : now);
    return entry == null || entry.state() != State.ABANDONED;
  }

  /**
   * The script answered (every copy comes or came back), or it was never sent (none comes):
   * nothing is left to decide.
   */
  void settled(long sequence, int index) {
    copies.remove(new Copy(sequence, index));
  }

  /**
   * The script's answer did not come: the stamp of the copy that already came back (Redis ran it),
   * or empty when none did and the broadcast is given up on (a copy coming later is dropped).
   */
  Optional<Stamp> giveUp(long sequence, int index) {
    Stamp[] heard = new Stamp[1];
    copies.compute(new Copy(sequence, index), (copy, now) -> {
      if (now != null && now.state() == State.HEARD) {
        heard[0] = now.stamp();
        return null;
      }
      return new Entry(State.ABANDONED, null, System.nanoTime());
    });
    return Optional.ofNullable(heard[0]);
  }

  /** Forgets broadcasts given up on long ago; on the timer thread. */
  void expire() {
    long now = System.nanoTime();
    copies.values().removeIf(entry -> entry.state() == State.ABANDONED && now - entry.since() > ABANDONED_NANOS);
  }

  /** Broadcasts waiting for their answer or remembered as given up on. */
  int size() {
    return copies.size();
  }
}
