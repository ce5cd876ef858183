package dev.switchboard.history.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Full-size history chunks, off the Java heap and shared by every room of a history: a busy room
 * drops its oldest chunk about as often as it opens one, so chunks come back here and are handed
 * out again instead of being allocated. At most a bounded number wait here; past it a dropped
 * chunk is left to the collector. Thread-safe.
 */
final class ChunkSpares {
  private final int chunkBytes;
  private final ArrayBlockingQueue<ByteBuffer> spare;

  /** Spares of {@code chunkBytes} each, at most {@code most} of them waiting. */
  ChunkSpares(int chunkBytes, int most) {
    this.chunkBytes = chunkBytes;
    this.spare = new ArrayBlockingQueue<>(most);
  }

  /** The size of a full chunk. */
  int chunkBytes() {
    return chunkBytes;
  }

  /** A cleared full-size chunk: a spare one, or a new one. */
  ByteBuffer take() {
    ByteBuffer chunk = spare.poll();
    return chunk != null ? chunk.clear() : ByteBuffer.allocateDirect(chunkBytes);
  }

  /** Takes back a chunk no longer used; only full-size direct ones are kept. */
  void give(ByteBuffer chunk) {
    if (chunk.isDirect() && chunk.capacity() == chunkBytes) {
      spare.offer(chunk);
    }
  }
}
