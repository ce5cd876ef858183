package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.SessionIds;
import dev.switchboard.history.internal.RetainedBytes;
import dev.switchboard.socketio.ConnectionStateRecovery;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import io.netty.buffer.ByteBuf;

/**
 * What connection state recovery needs in one namespace: the packets sent in the last
 * maxDisconnectionDuration, each with its offset and target, and the sessions of sockets that
 * lost their connection. Socket.IO's client resumes from one offset, so this log is one ordered
 * sequence per namespace. The packets kept are bounded in bytes, by the namespace's own budget and
 * by the process-wide {@link RetainedBytes}; oldest go first, and a client whose offset is older
 * than what is kept gets a fresh session. Thread-safe.
 */
final class RecoveryLog implements RetainedBytes.Keeper {
  /** A packet as it was sent (offset included), with whom it was for. */
  record Logged(long seq, byte[] text, List<byte[]> attachments, Set<String> rooms, Set<String> except, long timestampMillis) {}

  /** A socket's state kept while it is disconnected. */
  record Session(String sid, String pid, Set<String> rooms, Map<String, Object> data, long disconnectedMillis) {}

  /** A recovered session and the packets it missed, oldest first. */
  record Restored(Session session, List<Logged> missed) {}

  private record Kept(Logged packet, RetainedBytes.Charge charge) {}

  private final ConnectionStateRecovery options;
  private final Clock clock;
  private final RetainedBytes budget;
  private final String epoch = SessionIds.next().substring(0, 6);
  private final ArrayDeque<Kept> packets = new ArrayDeque<>();
  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  private long nextSeq = 1;
  private long bytes;

  RecoveryLog(ConnectionStateRecovery options, Clock clock, RetainedBytes budget) {
    this.options = options;
    this.clock = clock;
    this.budget = budget;
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
   * Gives a packet the next offset, keeps it, and hands it on for delivery, all in one step: the
   * order of offsets is the order in which packets reach every event loop, so a client's last
   * offset tells exactly what it has.
   *
   * @param encode encodes the packet with its offset as last argument
   * @param wire the Socket.IO bytes of what {@code encode} made
   * @param deliver sends it (queues it on the event loops; must not block)
   */
  <T> void send(Set<String> rooms, Set<String> except, Function<String, T> encode,
      Function<T, SioEncoder.Encoded> wire, Consumer<T> deliver) {
    synchronized (this) {
      long seq = nextSeq++;
      T packet = encode.apply(epoch + "-" + seq);
      SioEncoder.Encoded encoded = wire.apply(packet);
      ByteBuf text = encoded.packet();
      byte[] copy = new byte[text.readableBytes()];
      text.getBytes(text.readerIndex(), copy);
      long now = clock.millis();
      Logged logged = new Logged(seq, copy, encoded.attachments(), rooms, except, now);
      RetainedBytes.Charge charge = budget.charge(this, size(logged));
      packets.addLast(new Kept(logged, charge));
      bytes += charge.bytes();
      trim(now);
      deliver.accept(packet);
    }
    // Outside this log's lock: eviction takes the locks of other keepers.
    budget.enforce();
  }

  private static long size(Logged packet) {
    long size = packet.text().length;
    for (byte[] attachment : packet.attachments()) {
      size += attachment.length;
    }
    for (String room : packet.rooms()) {
      size += 2L * room.length();
    }
    for (String room : packet.except()) {
      size += 2L * room.length();
    }
    return size;
  }

  @Override
  public void evict(RetainedBytes.Charge charge) {
    synchronized (this) {
      Kept oldest = packets.peekFirst();
      if (oldest != null && oldest.charge() == charge) {
        dropOldest();
      } else if (packets.removeIf(kept -> kept.charge() == charge)) {
        bytes -= charge.bytes();
        budget.release(charge);
      }
    }
  }

  private void dropOldest() {
    Kept oldest = packets.removeFirst();
    bytes -= oldest.charge().bytes();
    budget.release(oldest.charge());
  }

  /** The bytes this log keeps now, as charged to the budget. */
  synchronized long retainedBytes() {
    return bytes;
  }

  void persist(String sid, String pid, Set<String> rooms, Map<String, Object> data) {
    long now = clock.millis();
    sessions.put(pid, new Session(sid, pid, Set.copyOf(rooms), Map.copyOf(data), now));
    long expiry = now - options.maxDisconnectionDuration().toMillis();
    sessions.values().removeIf(s -> s.disconnectedMillis() < expiry);
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
    List<Logged> missed = new ArrayList<>();
    synchronized (this) {
      trim(clock.millis());
      if (packets.isEmpty() ? seq != nextSeq - 1 : seq < packets.peekFirst().packet().seq() - 1 || seq >= nextSeq) {
        return null;
      }
      for (Kept kept : packets) {
        Logged packet = kept.packet();
        if (packet.seq() > seq && reaches(packet, session.rooms())) {
          missed.add(packet);
        }
      }
      return new Missed(missed, nextSeq - 1);
    }
  }

  /** The sequence number of the packet this log gave {@code offset}; 0 for an offset of another log. */
  long seqOf(String offset) {
    if (offset.length() <= epoch.length() + 1 || !offset.startsWith(epoch) || offset.charAt(epoch.length()) != '-') {
      return 0;
    }
    try {
      return Long.parseLong(offset.substring(epoch.length() + 1));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean reaches(Logged packet, Set<String> rooms) {
    for (String except : packet.except()) {
      if (rooms.contains(except)) {
        return false;
      }
    }
    if (packet.rooms().isEmpty()) {
      return true;
    }
    for (String room : packet.rooms()) {
      if (rooms.contains(room)) {
        return true;
      }
    }
    return false;
  }

  /** Drops packets older than maxDisconnectionDuration, beyond the count cap or beyond the byte budget. */
  private void trim(long now) {
    long oldest = now - options.maxDisconnectionDuration().toMillis();
    while (!packets.isEmpty() && (packets.peekFirst().packet().timestampMillis() < oldest
        || packets.size() > ConnectionStateRecovery.MAX_KEPT_PACKETS || bytes > options.maxBytes())) {
      dropOldest();
    }
  }
}
