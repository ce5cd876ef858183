package dev.switchboard.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The chunked transfer coding of HTTP/1.1 (RFC 9112, section 7.1), written without the HTTP
 * encoder: a chunk is one buffer, {@code <size in hex> CRLF <data> CRLF}, and the body ends with
 * the last chunk, {@code 0 CRLF CRLF} (no extensions, no trailer fields). A chunk of no data would
 * read as the last chunk, so empty data is never framed.
 */
public final class ChunkedCoding {
  /** Room a buffer keeps in front of its data for the size line: 8 hex digits and CRLF. */
  public static final int SIZE_LINE_ROOM = 10;
  private static final int CRLF = 2;
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private ChunkedCoding() {}

  /** A new direct buffer holding {@code data}'s readable bytes as one chunk; {@code data} is left as it is. */
  public static ByteBuf chunk(ByteBufAllocator alloc, ByteBuf data) {
    int size = requireData(data.readableBytes());
    ByteBuf chunk = alloc.directBuffer(sizeLineLength(size) + size + CRLF);
    chunk.writerIndex(setSizeLine(chunk, 0, size));
    chunk.writeBytes(data, data.readerIndex(), size).writeByte('\r').writeByte('\n');
    return chunk;
  }

  /**
   * A new direct buffer, empty, with {@link #SIZE_LINE_ROOM} bytes kept in front of its reader
   * index: data written into it can become a chunk in place, with {@link #enclose}.
   */
  public static ByteBuf withSizeLineRoom(ByteBufAllocator alloc, int dataCapacity) {
    ByteBuf buffer = alloc.directBuffer(SIZE_LINE_ROOM + dataCapacity + CRLF);
    buffer.setIndex(SIZE_LINE_ROOM, SIZE_LINE_ROOM);
    return buffer;
  }

  /**
   * Turns the readable bytes of {@code data}, made by {@link #withSizeLineRoom}, into a chunk in
   * place: the size line goes into the room in front, CRLF after. Returns {@code data}.
   */
  public static ByteBuf enclose(ByteBuf data) {
    int size = requireData(data.readableBytes());
    int start = data.readerIndex() - sizeLineLength(size);
    if (start < 0) {
      throw new IllegalArgumentException("no room for the size line in front of the data");
    }
    setSizeLine(data, start, size);
    data.readerIndex(start);
    return data.writeByte('\r').writeByte('\n');
  }

  /** A new buffer holding the last chunk, which ends the body. */
  public static ByteBuf lastChunk(ByteBufAllocator alloc) {
    return alloc.directBuffer(5).writeByte('0').writeByte('\r').writeByte('\n').writeByte('\r').writeByte('\n');
  }

  /** Sets the size line of a chunk of {@code size} bytes at {@code index}; returns the index after it. */
  private static int setSizeLine(ByteBuf out, int index, int size) {
    for (int shift = (hexDigits(size) - 1) * 4; shift >= 0; shift -= 4) {
      out.setByte(index++, HEX[(size >>> shift) & 0xF]);
    }
    out.setByte(index++, '\r');
    out.setByte(index++, '\n');
    return index;
  }

  private static int sizeLineLength(int size) {
    return hexDigits(size) + CRLF;
  }

  private static int hexDigits(int size) {
    return Math.max(1, (35 - Integer.numberOfLeadingZeros(size)) / 4);
  }

  private static int requireData(int size) {
    if (size == 0) {
      throw new IllegalArgumentException("a chunk of no data is the last chunk");
    }
    return size;
  }
}
