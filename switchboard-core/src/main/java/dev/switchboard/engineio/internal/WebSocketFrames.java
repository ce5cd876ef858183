package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes a server-to-client WebSocket text frame (RFC 6455: FIN, opcode 1, unmasked) once, so
 * that a broadcast's frame can be written to every recipient as the same bytes. Such raw buffers
 * pass the pipeline's frame encoder untouched.
 */
public final class WebSocketFrames {
  private WebSocketFrames() {}

  /** A new buffer holding the frame header and a copy of {@code payload}'s readable bytes. */
  public static ByteBuf text(ByteBufAllocator alloc, ByteBuf payload) {
    int length = payload.readableBytes();
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuf frame = alloc.directBuffer(header + length);
    frame.writeByte(0x81);
    if (length < 126) {
      frame.writeByte(length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(126);
      frame.writeShort(length);
    } else {
      frame.writeByte(127);
      frame.writeLong(length);
    }
    frame.writeBytes(payload, payload.readerIndex(), length);
    return frame;
  }
}
