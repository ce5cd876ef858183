package dev.switchboard.socketio.internal;

import dev.switchboard.history.internal.RetainedBytes;
import dev.switchboard.history.internal.SpareBuffers;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The packets of a {@link RecoveryLog}, in the order they were kept, kept off the Java heap in
 * direct-memory segments. A log holds every packet of its namespace for minutes: kept as objects,
 * each packet would survive a few young collections and then fill the old generation, and each
 * young pause would grow with the packets of the last few hundred milliseconds (measured: a young
 * pause went from 0.6 to 4 ms at 10,000 kept publishes per second). Here a segment of a few
 * hundred packets is a handful of objects, and segments are reused as old ones are dropped.
 *
 * <p>Each segment is charged to the {@link RetainedBytes} budget when opened, for its whole
 * capacity, and released when dropped, oldest first. Packets for different event loops may be kept
 * out of sequence order (see {@link RecoveryLog}): a segment knows its highest sequence number,
 * and reads sort what they find. Not thread-safe: its log guards it.
 */
final class LogSegments {
  /** Dropped segments kept for reuse, so that a log in a steady state allocates none. */
  private static final int SPARE_SEGMENTS = 2;

  private static final class Segment {
    final ByteBuffer bytes;
    final RetainedBytes.Charge charge;
    /** The highest sequence number in it (packets for different loops may come out of order). */
    long maxSeq;
    long newestMillis;
    int count;

    Segment(ByteBuffer bytes, RetainedBytes.Charge charge) {
      this.bytes = bytes;
      this.charge = charge;
    }
  }

  private final RetainedBytes budget;
  private final RetainedBytes.Keeper keeper;
  private final ArrayDeque<Segment> segments = new ArrayDeque<>();
  private final SpareBuffers spares;
  private int count;
  private long bytes;
  /** The highest sequence number of a packet dropped, 0 before any. */
  private long droppedSeq;

  LogSegments(int segmentBytes, RetainedBytes budget, RetainedBytes.Keeper keeper) {
    this.spares = new SpareBuffers(segmentBytes, SPARE_SEGMENTS);
    this.budget = budget;
    this.keeper = keeper;
  }

  /** Appends a packet: its bytes {@code text} (not consumed), its attachments and whom it was for. */
  void append(long seq, long millis, ByteBuf text, List<byte[]> attachments, Set<String> rooms, Set<String> except) {
    int size = entrySize(text.readableBytes(), attachments, rooms, except);
    Segment segment = segments.peekLast();
    if (segment == null || segment.bytes.remaining() < size) {
      segment = open(size);
    }
    ByteBuffer out = segment.bytes;
    out.putInt(size);
    out.putLong(seq);
    out.putLong(millis);
    out.putInt(text.readableBytes());
    text.getBytes(text.readerIndex(), out.slice(out.position(), text.readableBytes()));
    out.position(out.position() + text.readableBytes());
    out.putShort((short) attachments.size());
    for (byte[] attachment : attachments) {
      out.putInt(attachment.length);
      out.put(attachment);
    }
    putNames(out, rooms);
    putNames(out, except);
    segment.maxSeq = Math.max(segment.maxSeq, seq);
    segment.newestMillis = millis;
    segment.count++;
    count++;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** Packets kept. */
  int count() {
    return count;
  }

  /** Bytes charged: the capacity of every segment held. */
  long bytes() {
    return bytes;
  }

  /**
   * The highest sequence number of a packet dropped (0 before any): a reader resuming from an
   * offset below it would miss that packet.
   */
  long droppedSeq() {
    return droppedSeq;
  }

  /** When the newest packet of the oldest segment was kept; call when not empty. */
  long oldestSegmentNewestMillis() {
    return segments.getFirst().newestMillis;
  }

  /** Drops the oldest segment, and every packet in it. */
  void dropOldest() {
    drop(segments.removeFirst());
  }

  /** Drops the segment of {@code charge} if still held; whether it was. */
  boolean evict(RetainedBytes.Charge charge) {
    for (Iterator<Segment> it = segments.iterator(); it.hasNext(); ) {
      Segment segment = it.next();
      if (segment.charge == charge) {
        it.remove();
        drop(segment);
        return true;
      }
    }
    return false;
  }

  /** The packets after {@code seq} whose rooms and exceptions {@code wanted} accepts, in sequence order. */
  List<RecoveryLog.Logged> after(long seq, BiPredicate<Set<String>, Set<String>> wanted) {
    List<RecoveryLog.Logged> found = new ArrayList<>();
    for (Segment segment : segments) {
      if (segment.maxSeq <= seq) {
        continue;
      }
      ByteBuffer in = segment.bytes.duplicate().flip();
      while (in.hasRemaining()) {
        int start = in.position();
        int size = in.getInt();
        long packetSeq = in.getLong();
        if (packetSeq <= seq) {
          in.position(start + size);
          continue;
        }
        long millis = in.getLong();
        byte[] text = new byte[in.getInt()];
        in.get(text);
        int attachmentCount = in.getShort() & 0xffff;
        List<byte[]> attachments = new ArrayList<>(attachmentCount);
        for (int i = 0; i < attachmentCount; i++) {
          byte[] attachment = new byte[in.getInt()];
          in.get(attachment);
          attachments.add(attachment);
        }
        Set<String> rooms = names(in);
        Set<String> except = names(in);
        if (wanted.test(rooms, except)) {
          found.add(new RecoveryLog.Logged(packetSeq, text, List.copyOf(attachments), rooms, except, millis));
        }
      }
    }
    // Nearly sorted already (out of order only where two loops kept packets at once): cheap.
    found.sort(Comparator.comparingLong(RecoveryLog.Logged::seq));
    return found;
  }

  private Segment open(int entrySize) {
    ByteBuffer buffer = entrySize <= spares.bufferBytes() ? spares.take() : ByteBuffer.allocateDirect(entrySize);
    Segment segment = new Segment(buffer, budget.charge(keeper, buffer.capacity()));
    segments.addLast(segment);
    bytes += buffer.capacity();
    return segment;
  }

  private void drop(Segment segment) {
    droppedSeq = Math.max(droppedSeq, segment.maxSeq);
    count -= segment.count;
    bytes -= segment.bytes.capacity();
    budget.release(segment.charge);
    spares.give(segment.bytes);
  }

  private static int entrySize(int textBytes, List<byte[]> attachments, Set<String> rooms, Set<String> except) {
    long size = 4 + 8 + 8 + 4 + textBytes + 2;
    for (byte[] attachment : attachments) {
      size += 4 + attachment.length;
    }
    size += namesSize(rooms) + namesSize(except);
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("packet too large to keep: " + size + " bytes");
    }
    return (int) size;
  }

  private static long namesSize(Set<String> names) {
    long size = 4;
    for (String name : names) {
      size += 4 + utf8Length(name);
    }
    return size;
  }

  private static void putNames(ByteBuffer out, Set<String> names) {
    out.putInt(names.size());
    for (String name : names) {
      out.putInt(utf8Length(name));
      if (isAscii(name)) {
        for (int i = 0; i < name.length(); i++) {
          out.put((byte) name.charAt(i));
        }
      } else {
        out.put(name.getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static Set<String> names(ByteBuffer in) {
    int n = in.getInt();
    if (n == 0) {
      return Set.of();
    }
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      byte[] utf8 = new byte[in.getInt()];
      in.get(utf8);
      names[i] = new String(utf8, StandardCharsets.UTF_8);
    }
    return Set.of(names);
  }

  private static int utf8Length(String name) {
    return isAscii(name) ? name.length() : name.getBytes(StandardCharsets.UTF_8).length;
  }

  private static boolean isAscii(String name) {
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
