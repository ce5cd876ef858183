package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCounted;

/**
 * One message sent to many WebSocket sessions (a broadcast) as finished frame bytes, written as
 * they are to every recipient: the plain frame, built at once, and the permessage-deflate frame,
 * built by the first recipient that takes compressed messages without context takeover and then
 * shared by all of them. So a broadcast is compressed at most once per level, whatever the number of
 * recipients. Reference-counted; recipients take their own references of the bytes they write.
 */
public final class SharedFrame extends AbstractReferenceCounted {
  private final ByteBuf payload;
  private final boolean binary;
  private final ByteBuf plain;
  /** Built once, under this object's lock; read without it once built. */
  private volatile ByteBuf deflated;

  private SharedFrame(ByteBuf payload, boolean binary) {
    this.payload = payload.retainedDuplicate();
    this.binary = binary;
    this.plain = WebSocketFrames.of(ByteBufAllocator.DEFAULT, binary, payload);
  }

  /**
   * The frame of the Engine.IO packet {@code payload} (a binary message when {@code binary}),
   * which must not change; takes a reference of its own.
   */
  public static SharedFrame of(ByteBuf payload, boolean binary) {
    return new SharedFrame(payload, binary);
  }

  int payloadLength() {
    return payload.readableBytes();
  }

  boolean binary() {
    return binary;
  }

  ByteBuf payload() {
    return payload;
  }

  /** The uncompressed frame; shared, never released by recipients. */
  public ByteBuf plain() {
    return plain;
  }

  /**
   * The frame compressed at {@code level} without context takeover, built by the first caller
   * (recipients are one server's sessions, which all use its one level); shared, never released
   * by recipients.
   */
  public ByteBuf deflated(int level) {
    ByteBuf built = deflated;
    if (built == null) {
      synchronized (this) {
        built = deflated;
        if (built == null) {
          if (refCnt() == 0) {
            throw new IllegalReferenceCountException(0);
          }
          built = DeflatedMessages.frame(ByteBufAllocator.DEFAULT, opcode(), payload,
              DeflatedMessages.sharedDeflater(level), true);
          deflated = built;
        }
      }
    }
    return built;
  }

  int opcode() {
    return binary ? WebSocketFrames.BINARY : WebSocketFrames.TEXT;
  }

  @Override
  protected synchronized void deallocate() {
    payload.release();
    plain.release();
    if (deflated != null) {
      deflated.release();
    }
  }

  @Override
  public ReferenceCounted touch(Object hint) {
    plain.touch(hint);
    return this;
  }
}
