package dev.switchboard.history.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Direct buffers of one size kept off the Java heap for reuse: what keeps messages for minutes
 * (history chunks, recovery log segments) drops its oldest buffer about as often as it opens one,
 * so buffers come back here and are handed out again instead of being allocated. At most a
 * bounded number wait here; past it a dropped buffer is left to the collector. Thread-safe.
 */
public final class SpareBuffers {
  private final int bufferBytes;
  private final ArrayBlockingQueue<ByteBuffer> spare;

  /** Spares of {@code bufferBytes} each, at most {@code most} of them waiting. */
  public SpareBuffers(int bufferBytes, int most) {
    this.bufferBytes = bufferBytes;
    this.spare = new ArrayBlockingQueue<>(most);
  }

  /** The size of the buffers kept. */
  public int bufferBytes() {
    return bufferBytes;
  }

  /** A cleared direct buffer of that size: a spare one, or a new one. */
  public ByteBuffer take() {
    ByteBuffer buffer = spare.poll();
    return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(bufferBytes);
  }

  /** Takes back a buffer no longer used; only direct ones of that size are kept. */
  public void give(ByteBuffer buffer) {
    if (buffer.isDirect() && buffer.capacity() == bufferBytes) {
      spare.offer(buffer);
    }
  }
}
