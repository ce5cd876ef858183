package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Whether a WebSocket text message is valid UTF-8, as RFC 6455 requires of every one received.
 * Socket.IO's text is mostly ASCII: that part is checked eight bytes at a time, and only what
 * follows the first byte of 0x80 or more goes through Netty's byte-at-a-time validation (a
 * multi-byte sequence cannot start in the ASCII run before it).
 */
final class Utf8Text {
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Text() {}

  /** Whether {@code text}'s readable bytes are valid UTF-8; its indices are left as they are. */
  static boolean isValid(ByteBuf text) {
    int at = text.readerIndex();
    int end = text.writerIndex();
    while (end - at >= Long.BYTES && (text.getLong(at) & HIGH_BITS) == 0) {
      at += Long.BYTES;
    }
    while (at < end && text.getByte(at) >= 0) {
      at++;
    }
    return at == end || ByteBufUtil.isText(text, at, end - at, StandardCharsets.UTF_8);
  }
}
