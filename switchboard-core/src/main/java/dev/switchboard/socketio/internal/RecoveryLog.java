package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.SessionIds;
import dev.switchboard.history.internal.RetainedBytes;
import dev.switchboard.rooms.internal.LocalAdapter;
import dev.switchboard.rooms.internal.SpinLock;
import dev.switchboard.socketio.ConnectionStateRecovery;
import io.netty.buffer.ByteBuf;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What connection state recovery needs in one namespace: the packets sent in the last
 * maxDisconnectionDuration, each with its offset and target, and the sessions of sockets that
 * lost their connection. Socket.IO's client resumes from one offset, so offsets are one sequence
 * per namespace, kept off the Java heap ({@link LogSegments}). A packet gets its offset and is
 * kept while its broadcast holds the order of the event loops it concerns ({@link LocalAdapter#order}):
 * on every loop, offsets rise in the order packets are delivered, so a client's last offset tells
 * exactly what it has, while packets for different loops take offsets without waiting for each
 * other (and may be kept out of offset order). The packets kept are bounded in bytes, by the
 * namespace's own budget and by the process-wide {@link RetainedBytes}; oldest go first, and a
 * client whose offset is older than what is kept gets a fresh session. Thread-safe.
 */
final class RecoveryLog implements RetainedBytes.Keeper {
  /** A packet as it was sent (offset included), with whom it was for. */
  record Logged(long seq, byte[] text, List<byte[]> attachments, Set<String> rooms, Set<String> except, long timestampMillis) {}

  /** A packet's offset as the client reads it, and its sequence number in this log. */
  record Offset(String text, long seq) {}

  /** A socket's state kept while it is disconnected. */
  record Session(String sid, String pid, Set<String> rooms, Map<String, Object> data, long disconnectedMillis) {}

  /** A recovered session and the packets it missed, oldest first. */
  record Restored(Session session, List<Logged> missed) {}

  private final ConnectionStateRecovery options;
  private final Clock clock;
  private final RetainedBytes budget;
  private final String epoch = SessionIds.next().substring(0, 6);
  private final LogSegments kept;
  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  /**
   * The sessions kept, in the order they were kept and so of their expiry (taken ones too, until
   * they would have expired): a disconnect drops the expired ones from the front, never scanning
   * every session kept, which a mass disconnect would make quadratic.
   */
  private final ArrayDeque<Session> expiryOrder = new ArrayDeque<>();
  /** The order the offsets follow: the namespace's rooms. */
  private final LocalAdapter<?> order;
  /** Guards {@link #kept}: held only to append, read and drop, never while a packet is encoded or queued. */
  private final SpinLock lock = new SpinLock();
  private final AtomicLong nextSeq = new AtomicLong(1);

  RecoveryLog(ConnectionStateRecovery options, Clock clock, RetainedBytes budget, LocalAdapter<?> order) {
    this.options = options;
    this.clock = clock;
    this.budget = budget;
    this.order = order;
    this.kept = new LogSegments(segmentBytes(options.maxBytes()), budget, this);
  }

  /** Segments of 64 KiB, smaller for a small budget so that it holds several. */
  private static int segmentBytes(long maxBytes) {
    return (int) Math.max(4096, Math.min(64 * 1024, maxBytes / 16));
  }

  /** {@code args} with {@code offset} appended: how the client reads a packet's offset. */
  static Object[] withOffset(Object[] args, String offset) {
    Object[] withOffset = java.util.Arrays.copyOf(args, args.length + 1);
    withOffset[args.length] = offset;
    return withOffset;
  }

  ConnectionStateRecovery options() {
    return options;
  }

  /**
   * The next offset. Call holding the order of the loops its packet concerns, and {@link #keep}
   * the packet before queueing it, still holding it.
   */
  Offset next() {
    long seq = nextSeq.getAndIncrement();
    return new Offset(epoch + "-" + seq, seq);
  }

  /**
   * Keeps a packet sent at {@code offset} (from {@link #next}), its bytes {@code packet} (not
   * consumed) and {@code attachments}, to {@code rooms} but {@code except}. The caller enforces the
   * process-wide budget after it has released the order (eviction takes the locks of other keepers).
   */
  void keep(Offset offset, ByteBuf packet, List<byte[]> attachments, Set<String> rooms, Set<String> except) {
    long now = clock.millis();
    lock.lock();
    try {
      kept.append(offset.seq(), now, packet, attachments, rooms, except);
      trim(now);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void evict(RetainedBytes.Charge charge) {
    lock.lock();
    try {
      kept.evict(charge);
    } finally {
      lock.unlock();
    }
  }

  /** The bytes this log keeps now, as charged to the budget. */
  long retainedBytes() {
    lock.lock();
    try {
      return kept.bytes();
    } finally {
      lock.unlock();
    }
  }

  void persist(String sid, String pid, Set<String> rooms, Map<String, Object> data) {
    long now = clock.millis();
    Session session = new Session(sid, pid, Set.copyOf(rooms), Map.copyOf(data), now);
    sessions.put(pid, session);
    long expiry = now - options.maxDisconnectionDuration().toMillis();
    synchronized (expiryOrder) {
      expiryOrder.addLast(session);
      Session oldest;
      while ((oldest = expiryOrder.peekFirst()) != null && oldest.disconnectedMillis() < expiry) {
        expiryOrder.removeFirst();
        sessions.remove(oldest.pid(), oldest);
      }
    }
  }

  /** Sessions kept and not taken. */
  int sessionCount() {
    return sessions.size();
  }

  /** What a session missed, and the last sequence number of the log when it was read. */
  record Missed(List<Logged> packets, long lastSeq) {}

  /** Takes back the session {@code pid} if it is still kept; null otherwise. */
  Session take(String pid) {
    Session session = sessions.remove(pid);
    if (session == null || clock.millis() - session.disconnectedMillis() > options.maxDisconnectionDuration().toMillis()) {
      return null;
    }
    return session;
  }

  /**
   * The packets sent to {@code session}'s rooms after {@code offset}; null when the offset is not
   * one of this log's, or packets after it are no longer kept, and the client then gets a fresh
   * connection.
   */
  Missed missed(Session session, String offset) {
    int dash = offset.lastIndexOf('-');
    if (dash < 0 || !offset.substring(0, dash).equals(epoch)) {
      return null;
    }
    long seq;
    try {
      seq = Long.parseLong(offset.substring(dash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    // In total order: every offset handed out so far has its packet kept, and every later one
    // is queued after this read, on the loop of a socket that joined its rooms before it.
    return order.inTotalOrder(() -> {
      lock.lock();
      try {
        trim(clock.millis());
        long lastSeq = nextSeq.get() - 1;
        // Packets after the offset that were dropped would be missing: a fresh session then.
        if (seq < kept.droppedSeq() || seq > lastSeq) {
          return null;
        }
        return new Missed(kept.after(seq, (rooms, except) -> reaches(rooms, except, session.rooms())), lastSeq);
      } finally {
        lock.unlock();
      }
    });
  }

  private static boolean reaches(Set<String> packetRooms, Set<String> packetExcept, Set<String> rooms) {
    for (String except : packetExcept) {
      if (rooms.contains(except)) {
        return false;
      }
    }
    if (packetRooms.isEmpty()) {
      return true;
    }
    for (String room : packetRooms) {
      if (rooms.contains(room)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Drops the oldest segments while all their packets are older than maxDisconnectionDuration, or
   * while more packets than the count cap or more bytes than this log's budget are kept.
   */
  private void trim(long now) {
    long oldest = now - options.maxDisconnectionDuration().toMillis();
    while (!kept.isEmpty() && (kept.oldestSegmentNewestMillis() < oldest
        || kept.count() > ConnectionStateRecovery.MAX_KEPT_PACKETS || kept.bytes() > options.maxBytes())) {
      kept.dropOldest();
    }
  }
}
