package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compresses and inflates the payloads of permessage-deflate messages (RFC 7692 section 7.2): raw
 * DEFLATE, each message ended with a sync flush whose {@code 00 00 ff ff} tail is left out. A
 * message compressed without context takeover depends on nothing before it, so every thread keeps
 * one Deflater and one Inflater (per level) for all such messages, reset after each one: no zlib
 * state per connection.
 */
public final class DeflatedMessages {
  private static final byte[] TAIL = {0x00, 0x00, (byte) 0xff, (byte) 0xff};
  private static final int RSV1 = 0x40;

  /** Per thread, a Deflater per level (-1 to 9) for messages without context takeover. */
  private static final FastThreadLocal<Deflater[]> DEFLATERS = new FastThreadLocal<>() {
    @Override
    protected Deflater[] initialValue() {
      return new Deflater[11];
    }
  };
  private static final FastThreadLocal<Inflater> INFLATERS = new FastThreadLocal<>() {
    @Override
    protected Inflater initialValue() {
      return new Inflater(true);
    }
  };

  /** A message inflating to more than the limit. */
  public static final class TooBig extends Exception {
    TooBig(int limit) {
      super("a compressed message inflating to more than " + limit + " bytes", null, false, false);
    }
  }

  private DeflatedMessages() {}

  /** This thread's Deflater of {@code level} for messages without context takeover; reset by {@link #frame}. */
  public static Deflater sharedDeflater(int level) {
    Deflater[] deflaters = DEFLATERS.get();
    Deflater deflater = deflaters[level + 1];
    if (deflater == null) {
      deflater = deflaters[level + 1] = new Deflater(level, true);
    }
    return deflater;
  }

  /** This thread's Inflater for messages without context takeover; reset by {@link #inflate}. */
  public static Inflater sharedInflater() {
    return INFLATERS.get();
  }

  /**
   * A complete frame of {@code opcode} (RSV1 set) holding {@code payload}'s readable bytes
   * compressed with {@code deflater}, which is reset afterwards when {@code reset} (no context
   * takeover). {@code payload} is left as it is.
   */
  public static ByteBuf frame(ByteBufAllocator alloc, int opcode, ByteBuf payload, Deflater deflater, boolean reset) {
    byte[] input = ByteBufUtil.getBytes(payload, payload.readerIndex(), payload.readableBytes(), false);
    int inputLength = payload.readableBytes();
    deflater.setInput(input, 0, inputLength);
    byte[] out = new byte[Math.max(64, inputLength / 2 + 16)];
    int length = 0;
    while (true) {
      int n = deflater.deflate(out, length, out.length - length, Deflater.SYNC_FLUSH);
      length += n;
      if (length < out.length) {
        break;
      }
      out = Arrays.copyOf(out, out.length * 2);
    }
    if (reset) {
      deflater.reset();
    }
    // A sync flush always ends with an empty stored block, 00 00 ff ff, which the receiver adds back.
    int compressed = length - TAIL.length;
    return WebSocketFrames.withPayload(alloc, RSV1 | opcode, out, 0, compressed);
  }

  /**
   * Inflates a message's payload, at most {@code limit} bytes of it: inflating stops as soon as
   * the output passes the limit, so a small bomb costs no more than a legitimate large message.
   * Resets {@code inflater} afterwards when {@code reset}, and after any failure.
   */
  public static byte[] inflate(ByteBuf compressed, Inflater inflater, int limit, boolean reset)
      throws TooBig, DataFormatException {
    int inputLength = compressed.readableBytes();
    byte[] input = new byte[inputLength + TAIL.length];
    compressed.getBytes(compressed.readerIndex(), input, 0, inputLength);
    System.arraycopy(TAIL, 0, input, inputLength, TAIL.length);
    boolean failed = true;
    try {
      inflater.setInput(input);
      byte[] out = new byte[(int) Math.min(limit + 1L, Math.max(256L, inputLength * 4L))];
      int length = 0;
      while (true) {
        if (length == out.length) {
          if (length > limit) {
            throw new TooBig(limit);
          }
          out = Arrays.copyOf(out, (int) Math.min(limit + 1L, out.length * 2L));
        }
        int n = inflater.inflate(out, length, out.length - length);
        length += n;
        if (length > limit) {
          throw new TooBig(limit);
        }
        if (n == 0 && length < out.length) {
          if (inflater.needsDictionary()) {
            throw new DataFormatException("a preset dictionary is not part of permessage-deflate");
          }
          break; // all input read (or the stream ended): nothing more comes out
        }
      }
      failed = false;
      return length == out.length ? out : Arrays.copyOf(out, length);
    } finally {
      if (reset || failed) {
        inflater.reset();
      }
    }
  }
}
