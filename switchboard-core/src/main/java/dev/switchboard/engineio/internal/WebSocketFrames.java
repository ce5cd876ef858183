package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.nio.charset.StandardCharsets;

/**
 * Server-to-client WebSocket frames (RFC 6455: FIN set, unmasked) encoded straight into bytes.
 * The pipeline has no frame encoder: every frame leaves as the bytes built here, and a
 * broadcast's frame is built once and written to every recipient.
 */
public final class WebSocketFrames {
  static final int TEXT = 0x1;
  /** The text opcode, for callers outside this package. */
  public static final int TEXT_OPCODE = TEXT;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PONG = 0xA;

  /** Payloads up to this size are copied behind their header; larger ones are written as they are. */
  private static final int COPY_LIMIT = 1024;

  private WebSocketFrames() {}

  /** A new buffer holding a text frame's header and a copy of {@code payload}'s readable bytes. */
  public static ByteBuf text(ByteBufAllocator alloc, ByteBuf payload) {
    return of(alloc, false, payload);
  }

  /** A new buffer holding a binary ({@code binary}) or text frame's header and a copy of {@code payload}'s readable bytes. */
  public static ByteBuf of(ByteBufAllocator alloc, boolean binary, ByteBuf payload) {
    int length = payload.readableBytes();
    ByteBuf frame = alloc.directBuffer(headerLength(length) + length);
    writeHeader(frame, binary ? BINARY : TEXT, length);
    frame.writeBytes(payload, payload.readerIndex(), length);
    return frame;
  }

  /** A frame of {@code opcode} (which may carry RSV bits) holding {@code length} bytes of {@code payload} from {@code offset}. */
  static ByteBuf withPayload(ByteBufAllocator alloc, int opcode, byte[] payload, int offset, int length) {
    ByteBuf frame = alloc.directBuffer(headerLength(length) + length);
    writeHeader(frame, opcode, length);
    frame.writeBytes(payload, offset, length);
    return frame;
  }

  /** The header of a frame of {@code opcode} whose payload is {@code length} bytes. */
  static ByteBuf header(ByteBufAllocator alloc, int opcode, int length) {
    ByteBuf header = alloc.directBuffer(headerLength(length));
    writeHeader(header, opcode, length);
    return header;
  }

  /** Whether a payload of {@code length} bytes is better copied behind its header than written on its own. */
  static boolean copies(int length) {
    return length <= COPY_LIMIT;
  }

  /** A frame of {@code opcode} around {@code payload}, which this call releases. */
  static ByteBuf frame(ByteBufAllocator alloc, int opcode, ByteBuf payload) {
    try {
      int length = payload.readableBytes();
      ByteBuf frame = alloc.directBuffer(headerLength(length) + length);
      writeHeader(frame, opcode, length);
      frame.writeBytes(payload, payload.readerIndex(), length);
      return frame;
    } finally {
      payload.release();
    }
  }

  /** A close frame with {@code status} and its reason text. */
  static ByteBuf close(ByteBufAllocator alloc, WebSocketCloseStatus status) {
    byte[] reason = status.reasonText().getBytes(StandardCharsets.UTF_8);
    int length = Math.min(2 + reason.length, 125);
    ByteBuf frame = alloc.directBuffer(2 + length);
    writeHeader(frame, CLOSE, length);
    frame.writeShort(status.code());
    frame.writeBytes(reason, 0, length - 2);
    return frame;
  }

  /** A close frame without a status code (the peer reads 1005, "no status received"). */
  static ByteBuf close(ByteBufAllocator alloc) {
    ByteBuf frame = alloc.directBuffer(2);
    writeHeader(frame, CLOSE, 0);
    return frame;
  }

  private static int headerLength(int length) {
    return length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
  }

  private static void writeHeader(ByteBuf out, int opcode, int length) {
    out.writeByte(0x80 | opcode);
    if (length < 126) {
      out.writeByte(length);
    } else if (length <= 0xFFFF) {
      out.writeByte(126);
      out.writeShort(length);
    } else {
      out.writeByte(127);
      out.writeLong(length);
    }
  }
}
