package dev.switchboard.socketio.internal;

import dev.switchboard.engineio.internal.SessionIds;
import dev.switchboard.socketio.ConnectionStateRecovery;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
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
 * sequence per namespace. Thread-safe.
 */
final class RecoveryLog {
  /** A packet as it was sent (offset included), with whom it was for. */
  record Logged(long seq, byte[] text, List<byte[]> attachments, Set<String> rooms, Set<String> except, long timestampMillis) {}

  /** A socket's state kept while it is disconnected. */
  record Session(String sid, String pid, Set<String> rooms, Map<String, Object> data, long disconnectedMillis) {}

  /** A recovered session and the packets it missed, oldest first. */
  record Restored(Session session, List<Logged> missed) {}

  private final ConnectionStateRecovery options;
  private final Clock clock;
  private final String epoch = SessionIds.next().substring(0, 6);
  private final ArrayDeque<Logged> packets = new ArrayDeque<>();
  private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
  private long nextSeq = 1;

  RecoveryLog(ConnectionStateRecovery options, Clock clock) {
    this.options = options;
    this.clock = clock;
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
  synchronized <T> void send(Set<String> rooms, Set<String> except, Function<String, T> encode,
      Function<T, SioEncoder.Encoded> wire, Consumer<T> deliver) {
    long seq = nextSeq++;
    T packet = encode.apply(epoch + "-" + seq);
    SioEncoder.Encoded encoded = wire.apply(packet);
    ByteBuf text = encoded.text();
    byte[] bytes = new byte[text.readableBytes()];
    text.getBytes(text.readerIndex(), bytes);
    long now = clock.millis();
    packets.addLast(new Logged(seq, bytes, encoded.attachments(), rooms, except, now));
    trim(now);
    deliver.accept(packet);
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
      if (packets.isEmpty() ? seq != nextSeq - 1 : seq < packets.peekFirst().seq() - 1 || seq >= nextSeq) {
        return null;
      }
      for (Logged packet : packets) {
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

  private void trim(long now) {
    long oldest = now - options.maxDisconnectionDuration().toMillis();
    Iterator<Logged> it = packets.iterator();
    while (it.hasNext()) {
      Logged packet = it.next();
      if (packet.timestampMillis() >= oldest && packets.size() <= ConnectionStateRecovery.MAX_KEPT_PACKETS) {
        break;
      }
      it.remove();
    }
  }
}
