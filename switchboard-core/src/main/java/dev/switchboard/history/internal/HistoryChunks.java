package dev.switchboard.history.internal;

import dev.switchboard.history.HistoryEntry;
import dev.switchboard.history.StreamPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One room's kept messages, oldest first, packed into a few chunks of bytes instead of a handful
 * of objects each. History lives for minutes: as objects, every message survived young collections
 * and was copied by each (at 10,000 kept messages per second a young pause grew several
 * milliseconds); a chunk of dozens of messages is a few objects. Messages are read back as
 * {@link HistoryEntry} only when history is asked for.
 *
 * <p>Chunks grow from 512 bytes up to a cap, so a quiet room holds little. Full-size chunks, those
 * of busy rooms, live off the heap and are reused ({@link SpareBuffers}): on the heap each young
 * collection copied the chunks being filled (measured in the kept echo at 10,000 publishes per
 * second: young pauses of 3.2 ms on average, 1.9 ms with the chunks off the heap). Each chunk is charged
 * to the {@link RetainedBytes} budget for its whole capacity when opened, released once its last
 * message is dropped; the budget evicts a whole chunk. Not thread-safe: the room's stream guards it.
 */
final class HistoryChunks {
  private static final int FIRST_CHUNK = 512;
  private static final class Chunk {
    final ByteBuffer data;
    final RetainedBytes.Charge charge;
    /** Where its oldest message still kept starts. */
    int start;
    /** Where the next message goes. */
    int end;
    int count;

    Chunk(ByteBuffer data, RetainedBytes.Charge charge) {
      this.data = data;
      this.charge = charge;
    }
  }

  /** Messages after an offset, at most a limit of them, and whether more follow. */
  record Slice(List<HistoryEntry> entries, boolean more) {}

  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private final int maxChunk;
  private final RetainedBytes budget;
  private final RetainedBytes.Keeper keeper;
  private final SpareBuffers spares;
  private int nextChunk = FIRST_CHUNK;
  private int count;
  private long bytes;
  /** The last event name appended and its UTF-8 bytes: a room's messages mostly share one. */
  private String lastEvent = "";
  private byte[] lastEventUtf8 = new byte[0];

  /**
   * Chunks of at most {@code maxChunk} bytes (bigger only for a message that needs it); those of
   * the spares' size come from {@code spares} and go back to them.
   */
  HistoryChunks(int maxChunk, RetainedBytes budget, RetainedBytes.Keeper keeper, SpareBuffers spares) {
    this.maxChunk = Math.max(FIRST_CHUNK, maxChunk);
    this.budget = budget;
    this.keeper = keeper;
    this.spares = spares;
  }

  void append(long offset, long millis, long sequence, String event, byte[] argsJson, List<byte[]> attachments) {
    if (!event.equals(lastEvent)) {
      lastEventUtf8 = event.getBytes(StandardCharsets.UTF_8);
      lastEvent = event;
    }
    byte[] eventUtf8 = lastEventUtf8;
    long size = 4 + 8 + 8 + 8 + 4 + eventUtf8.length + 4 + argsJson.length + 2;
    for (byte[] attachment : attachments) {
      size += 4 + attachment.length;
    }
    if (size > Integer.MAX_VALUE - 64) {
      throw new IllegalArgumentException("message too large to keep: " + size + " bytes");
    }
    Chunk chunk = chunks.peekLast();
    if (chunk == null || chunk.data.capacity() - chunk.end < size) {
      chunk = open((int) size);
    }
    ByteBuffer data = chunk.data;
    int at = chunk.end;
    data.putInt(at, (int) size);
    data.putLong(at + 4, offset);
    data.putLong(at + 12, millis);
    data.putLong(at + 20, sequence);
    at = put(data, at + 28, eventUtf8);
    at = put(data, at, argsJson);
    data.putShort(at, (short) attachments.size());
    at += 2;
    for (byte[] attachment : attachments) {
      at = put(data, at, attachment);
    }
    chunk.end = at;
    chunk.count++;
    count++;
  }

  int count() {
    return count;
  }

  /** Bytes charged: the capacity of every chunk held. */
  long bytes() {
    return bytes;
  }

  /** When the oldest message was kept; call when not empty. */
  long oldestMillis() {
    Chunk head = chunks.getFirst();
    return head.data.getLong(head.start + 12);
  }

  /** Drops the oldest message; call when not empty. */
  void dropOldest() {
    Chunk head = chunks.getFirst();
    head.start += head.data.getInt(head.start);
    head.count--;
    count--;
    if (head.count == 0) {
      chunks.removeFirst();
      release(head);
    }
  }

  /** Drops the chunk of {@code charge}, every message in it, if still held; whether it was. */
  boolean evict(RetainedBytes.Charge charge) {
    for (Iterator<Chunk> it = chunks.iterator(); it.hasNext(); ) {
      Chunk chunk = it.next();
      if (chunk.charge == charge) {
        it.remove();
        count -= chunk.count;
        release(chunk);
        return true;
      }
    }
    return false;
  }

  void clear() {
    while (!chunks.isEmpty()) {
      Chunk chunk = chunks.removeFirst();
      count -= chunk.count;
      release(chunk);
    }
  }

  /** Up to {@code limit} messages of {@code room} after offset {@code after}, oldest first. */
  Slice after(String room, String epoch, long after, int limit) {
    List<HistoryEntry> out = new ArrayList<>(Math.min(limit, count));
    for (Chunk chunk : chunks) {
      ByteBuffer in = chunk.data.slice(chunk.start, chunk.end - chunk.start);
      while (in.hasRemaining()) {
        int start = in.position();
        int size = in.getInt();
        long offset = in.getLong();
        if (offset <= after) {
          in.position(start + size);
          continue;
        }
        if (out.size() == limit) {
          return new Slice(List.copyOf(out), true);
        }
        long millis = in.getLong();
        long sequence = in.getLong();
        String event = new String(bytes(in), StandardCharsets.UTF_8);
        byte[] argsJson = bytes(in);
        int attachmentCount = in.getShort() & 0xffff;
        List<byte[]> attachments = new ArrayList<>(attachmentCount);
        for (int i = 0; i < attachmentCount; i++) {
          attachments.add(bytes(in));
        }
        out.add(new HistoryEntry(room, new StreamPosition(epoch, offset), event, argsJson, List.copyOf(attachments),
            millis, sequence));
      }
    }
    return new Slice(List.copyOf(out), false);
  }

  /** Writes {@code bytes} with its length first at {@code at}; where the next field goes. */
  private static int put(ByteBuffer data, int at, byte[] bytes) {
    data.putInt(at, bytes.length);
    data.put(at + 4, bytes);
    return at + 4 + bytes.length;
  }

  private static byte[] bytes(ByteBuffer in) {
    byte[] bytes = new byte[in.getInt()];
    in.get(bytes);
    return bytes;
  }

  private Chunk open(int size) {
    int capacity = Math.max(nextChunk, size);
    nextChunk = Math.min(maxChunk, nextChunk * 2);
    ByteBuffer data = capacity == spares.bufferBytes() ? spares.take() : ByteBuffer.allocate(capacity);
    Chunk chunk = new Chunk(data, budget.charge(keeper, capacity));
    chunks.addLast(chunk);
    bytes += capacity + RetainedBytes.OVERHEAD_PER_MESSAGE;
    return chunk;
  }

  private void release(Chunk chunk) {
    bytes -= chunk.data.capacity() + RetainedBytes.OVERHEAD_PER_MESSAGE;
    budget.release(chunk.charge);
    spares.give(chunk.data);
    if (chunks.isEmpty()) {
      nextChunk = FIRST_CHUNK; // a room gone quiet starts small again
    }
  }
}
