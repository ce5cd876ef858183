package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Client-to-server WebSocket frames (RFC 6455 §5.2), each written straight into one buffer:
 * header, masking key, payload. Single frames only, never fragmented.
 */
final class WebSocketWriter {
  private static final int FIN = 0x80;
  private static final int MASKED = 0x80;
  private static final int MASK_KEY_LENGTH = 4;

  private WebSocketWriter() {}

  /** A text frame carrying {@code text} as UTF-8. */
  static ByteBuf text(ByteBufAllocator alloc, CharSequence text) {
    int length = ByteBufUtil.utf8Bytes(text);
    ByteBuf frame = alloc.buffer(headerLength(length) + length);
    header(frame, WebSocketReader.TEXT, length);
    ByteBufUtil.reserveAndWriteUtf8(frame, text, length);
    return frame;
  }

  /** A binary frame carrying {@code bytes}. */
  static ByteBuf binary(ByteBufAllocator alloc, byte[] bytes) {
    ByteBuf frame = alloc.buffer(headerLength(bytes.length) + bytes.length);
    header(frame, WebSocketReader.BINARY, bytes.length);
    frame.writeBytes(bytes);
    return frame;
  }

  /** A pong carrying {@code length} bytes of {@code payload} from {@code index}, a ping's payload. */
  static ByteBuf pong(ByteBufAllocator alloc, ByteBuf payload, int index, int length) {
    ByteBuf frame = alloc.buffer(headerLength(length) + length);
    header(frame, WebSocketReader.PONG, length);
    frame.writeBytes(payload, index, length);
    return frame;
  }

  private static int headerLength(int length) {
    return (length < 126 ? 2 : length <= 0xFFFF ? 4 : 10) + MASK_KEY_LENGTH;
  }

  private static void header(ByteBuf frame, int opcode, int length) {
    frame.writeByte(FIN | opcode);
    if (length < 126) {
      frame.writeByte(MASKED | length);
    } else if (length <= 0xFFFF) {
      frame.writeByte(MASKED | 126);
      frame.writeShort(length);
    } else {
      frame.writeByte(MASKED | 127);
      frame.writeLong(length);
    }
    // The masking key is zero, so the masked payload is the payload itself, encoded in place.
    // Masking (RFC 6455 §10.3) keeps bytes chosen by a hostile script from reading as HTTP to a
    // proxy between a browser and a server; nothing sits between the load generator and the
    // server under test, and it sends only its own texts. A server cannot tell a zero key from a
    // random one; XOR-ing every payload would only add client CPU to the measurement.
    frame.writeInt(0);
  }
}
