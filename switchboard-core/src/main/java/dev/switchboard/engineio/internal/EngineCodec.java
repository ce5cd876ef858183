package dev.switchboard.engineio.internal;

import dev.switchboard.engineio.EngineIoOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.base64.Base64;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Pure Engine.IO v4 codec: text packets, binary frames and the {@code \x1e}-separated polling
 * payload. No I/O and no state, so it can be tested, fuzzed and benchmarked alone.
 */
public final class EngineCodec {
  /** Separates packets in a polling payload (ASCII record separator). */
  public static final char SEPARATOR = '\u001e';

  public static final char OPEN = '0';
  public static final char CLOSE = '1';
  public static final char PING = '2';
  public static final char PONG = '3';
  public static final char MESSAGE = '4';
  public static final char UPGRADE = '5';
  public static final char NOOP = '6';

  private EngineCodec() {}

  /** The data of a session's open packet: its id, the upgrades it offers and its timing and size limits. */
  public static String handshake(String sid, boolean upgradesToWebSocket, EngineIoOptions options) {
    return "{\"sid\":\"" + sid + "\",\"upgrades\":" + (upgradesToWebSocket ? "[\"websocket\"]" : "[]")
        + ",\"pingInterval\":" + options.pingInterval().toMillis()
        + ",\"pingTimeout\":" + options.pingTimeout().toMillis()
        + ",\"maxPayload\":" + options.maxHttpBufferSize() + "}";
  }

  /** Decodes one packet carried by a WebSocket text frame or one record of a polling payload. */
  public static EnginePacket decodeText(String packet) {
    if (packet.isEmpty()) {
      throw new EngineProtocolException("empty packet");
    }
    char type = packet.charAt(0);
    return switch (type) {
      case MESSAGE -> new EnginePacket.TextMessage(packet.substring(1));
      case PING -> new EnginePacket.Ping(packet.substring(1));
      case PONG -> new EnginePacket.Pong(packet.substring(1));
      case CLOSE -> onlyType(packet, EnginePacket.CLOSE);
      case UPGRADE -> onlyType(packet, EnginePacket.UPGRADE);
      case NOOP -> onlyType(packet, EnginePacket.NOOP);
      case 'b' -> new EnginePacket.BinaryMessage(decodeBase64(packet, 1));
      case OPEN -> throw new EngineProtocolException("a client may not send an open packet");
      default -> throw new EngineProtocolException("unknown packet type '" + printable(type) + "'");
    };
  }

  /** Decodes the body of a polling POST: packets separated by {@link #SEPARATOR}. */
  public static List<EnginePacket> decodePayload(String payload) {
    if (payload.isEmpty()) {
      throw new EngineProtocolException("empty payload");
    }
    List<EnginePacket> packets = new ArrayList<>(4);
    int start = 0;
    while (true) {
      int end = payload.indexOf(SEPARATOR, start);
      if (end < 0) {
        packets.add(decodeText(payload.substring(start)));
        return packets;
      }
      packets.add(decodeText(payload.substring(start, end)));
      start = end + 1;
    }
  }

  /** Writes a text packet of {@code type} with optional UTF-8 {@code data}. */
  public static ByteBuf encodeText(ByteBufAllocator alloc, char type, CharSequence data) {
    ByteBuf buf = alloc.buffer(1 + ByteBufUtil.utf8MaxBytes(data));
    buf.writeByte(type);
    ByteBufUtil.writeUtf8(buf, data);
    return buf;
  }

  /**
   * Appends one outbound packet to a polling payload under construction: a separator when the
   * payload is not empty, then the text packet as is, or {@code b} and base64 for binary.
   */
  public static void appendToPayload(ByteBuf payload, ByteBuf packet, boolean binary) {
    if (payload.isReadable()) {
      payload.writeByte(SEPARATOR);
    }
    if (binary) {
      payload.writeByte('b');
      ByteBuf encoded = Base64.encode(packet, packet.readerIndex(), packet.readableBytes(), false);
      try {
        payload.writeBytes(encoded);
      } finally {
        encoded.release();
      }
    } else {
      payload.writeBytes(packet, packet.readerIndex(), packet.readableBytes());
    }
  }

  private static EnginePacket onlyType(String packet, EnginePacket value) {
    if (packet.length() != 1) {
      throw new EngineProtocolException("packet type '" + packet.charAt(0) + "' takes no data");
    }
    return value;
  }

  private static byte[] decodeBase64(String packet, int from) {
    // Line breaks are allowed, as Node allows them: the Java client sends MIME-style base64 ending
    // in '\n'. Anything else outside the base64 alphabet is refused.
    StringBuilder clean = new StringBuilder(packet.length() - from);
    for (int i = from; i < packet.length(); i++) {
      char c = packet.charAt(i);
      if (c != '\r' && c != '\n') {
        clean.append(c);
      }
    }
    try {
      return java.util.Base64.getDecoder().decode(clean.toString().getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new EngineProtocolException("invalid base64 in binary packet");
    }
  }

  private static String printable(char c) {
    return c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c);
  }
}
