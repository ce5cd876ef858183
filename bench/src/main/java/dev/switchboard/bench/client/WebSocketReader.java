package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;

/**
 * Reads the frames a WebSocket server sends (RFC 6455 §5.2, never masked) from a byte stream fed
 * in arbitrary pieces. Whole frames are read where they lie in the chunk; only a frame split
 * across chunks is copied, into a buffer that lives until the frame is complete. Fragmented text
 * messages are joined; binary messages and pongs are skipped. No UTF-8 validation: the server is
 * trusted. Not thread-safe: one reader per connection, fed on its event loop.
 */
final class WebSocketReader {
  /** Longest frame or joined message accepted. */
  static final int MAX_MESSAGE = 1 << 20;

  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int BINARY = 0x2;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  private static final int NONE = -1;

  /** What a reader reports; the bytes are only valid during the call. */
  interface Frames {
    /** A complete text message: {@code length} bytes of {@code buf} from {@code index}. */
    void onText(ByteBuf buf, int index, int length);

    /** A complete binary message in one frame (fragmented binary messages are not reported). */
    default void onBinary(ByteBuf buf, int index, int length) {}

    /** A ping, to be answered with a pong carrying the same payload. */
    void onPing(ByteBuf buf, int index, int length);

    /** A close frame; nothing after it is read. */
    void onClose();
  }

  private final Frames frames;
  /** The start of a frame split across chunks; null when none. */
  private ByteBuf partial;
  /** The text fragments of a message so far; null when none. */
  private ByteBuf fragments;
  /** The opcode of the fragmented message continuation frames belong to, or {@link #NONE}. */
  private int fragmented = NONE;
  private boolean closed;

  WebSocketReader(Frames frames) {
    this.frames = frames;
  }

  /** Reads what {@code chunk} holds (without releasing it), reporting every frame it completes. */
  void read(ByteBuf chunk) {
    int at = chunk.readerIndex();
    int end = chunk.writerIndex();
    if (partial != null) {
      at = completePartial(chunk, at, end);
    }
    at = readFrames(chunk, at, end);
    if (at < end && !closed) {
      long length = frameLength(chunk, at, end);
      partial = Unpooled.buffer((int) Math.max(length, end - at));
      partial.writeBytes(chunk, at, end - at);
    }
  }

  /** Drops what is kept between chunks. */
  void release() {
    if (partial != null) {
      partial.release();
      partial = null;
    }
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }

  private int readFrames(ByteBuf buf, int at, int end) {
    while (!closed && at < end) {
      long length = frameLength(buf, at, end);
      if (length > end - at) {
        break;
      }
      frame(buf, at, (int) length);
      at += (int) length;
    }
    return at;
  }

  /** Appends to {@link #partial} only the bytes it lacks, so the rest of the chunk is read in place. */
  private int completePartial(ByteBuf chunk, int at, int end) {
    while (at < end) {
      int missing = (int) (frameLength(partial, partial.readerIndex(), partial.writerIndex()) - partial.readableBytes());
      int taken = Math.min(missing, end - at);
      partial.writeBytes(chunk, at, taken);
      at += taken;
      int have = partial.readableBytes();
      if (taken == missing && frameLength(partial, partial.readerIndex(), partial.writerIndex()) == have) {
        ByteBuf whole = partial;
        partial = null;
        try {
          frame(whole, whole.readerIndex(), have);
        } finally {
          whole.release();
        }
        break;
      }
    }
    return at;
  }

  /**
   * The length of the frame at {@code at}, header and payload; while fewer bytes than its header
   * are there, the length of as much header as is needed to tell.
   */
  private static long frameLength(ByteBuf buf, int at, int end) {
    if (end - at < 2) {
      return 2;
    }
    int second = buf.getUnsignedByte(at + 1);
    if ((second & 0x80) != 0) {
      throw new CorruptedFrameException("masked frame from the server");
    }
    int header = headerLength(second);
    if (end - at < header) {
      return header;
    }
    int length7 = second & 0x7F;
    long payload = length7 < 126 ? length7 : length7 == 126 ? buf.getUnsignedShort(at + 2) : buf.getLong(at + 2);
    if (payload < 0 || payload > MAX_MESSAGE) {
      throw new CorruptedFrameException("frame of " + payload + " bytes, at most " + MAX_MESSAGE);
    }
    return header + payload;
  }

  private static int headerLength(int second) {
    int length7 = second & 0x7F;
    return length7 < 126 ? 2 : length7 == 126 ? 4 : 10;
  }

  /** One whole frame, {@code length} bytes of {@code buf} from {@code at}. */
  private void frame(ByteBuf buf, int at, int length) {
    int first = buf.getUnsignedByte(at);
    boolean fin = (first & 0x80) != 0;
    int opcode = first & 0x0F;
    int header = headerLength(buf.getUnsignedByte(at + 1));
    int payload = at + header;
    int size = length - header;
    switch (opcode) {
      case TEXT, BINARY -> {
        if (fin && (first & 0x40) != 0) {
          if (opcode == TEXT) {
            inflated(buf, payload, size);
          }
        } else if (fin) {
          if (opcode == TEXT) {
            frames.onText(buf, payload, size);
          } else {
            frames.onBinary(buf, payload, size);
          }
        } else {
          fragmented = opcode;
          fragment(buf, payload, size, false);
        }
      }
      case CONTINUATION -> fragment(buf, payload, size, fin);
      case PING -> frames.onPing(buf, payload, size);
      case CLOSE -> {
        closed = true;
        frames.onClose();
      }
      default -> { }
    }
  }

  /** A whole permessage-deflate text message (the server compresses each on its own): inflated, then reported. */
  private void inflated(ByteBuf buf, int payload, int size) {
    byte[] input = new byte[size + 4];
    buf.getBytes(payload, input, 0, size);
    input[size + 2] = (byte) 0xff;
    input[size + 3] = (byte) 0xff;
    java.util.zip.Inflater inflater = INFLATER.get();
    inflater.reset();
    inflater.setInput(input);
    ByteBuf out = Unpooled.buffer(size * 4);
    try {
      byte[] chunk = new byte[8192];
      while (true) {
        int n = inflater.inflate(chunk);
        out.writeBytes(chunk, 0, n);
        if (n == 0) {
          break;
        }
      }
      frames.onText(out, out.readerIndex(), out.readableBytes());
    } catch (java.util.zip.DataFormatException e) {
      throw new CorruptedFrameException("a compressed message that does not inflate: " + e.getMessage());
    } finally {
      out.release();
    }
  }

  private static final ThreadLocal<java.util.zip.Inflater> INFLATER =
      ThreadLocal.withInitial(() -> new java.util.zip.Inflater(true));

  /** A piece of a fragmented message: text is joined and reported on the final piece. */
  private void fragment(ByteBuf buf, int payload, int size, boolean fin) {
    if (fragmented == TEXT) {
      if (fragments == null) {
        fragments = Unpooled.buffer(Math.max(256, size));
      }
      if (fragments.readableBytes() + size > MAX_MESSAGE) {
        throw new CorruptedFrameException("message over " + MAX_MESSAGE + " bytes");
      }
      fragments.writeBytes(buf, payload, size);
      if (fin) {
        ByteBuf message = fragments;
        fragments = null;
        try {
          frames.onText(message, message.readerIndex(), message.readableBytes());
        } finally {
          message.release();
        }
      }
    }
    if (fin) {
      fragmented = NONE;
    }
  }
}
