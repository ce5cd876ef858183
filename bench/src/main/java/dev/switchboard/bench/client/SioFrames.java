package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;

/**
 * The few Engine.IO v4 / Socket.IO v5 texts the load generator sends and reads, main namespace
 * only. Payloads are {@code {"t":<nanoTime>,"p":"<padding>"}}: the stamp travels to the receiver.
 */
public final class SioFrames {
  private static final String STAMP_KEY = "\"t\":";

  private SioFrames() {}

  /** {@code {"t":stamp,"p":padding}}. */
  public static String payload(long stamp, String padding) {
    return "{\"t\":" + stamp + ",\"p\":\"" + padding + "\"}";
  }

  /** A padding string of {@code length} ASCII letters. */
  public static String padding(int length) {
    return "x".repeat(Math.max(0, length));
  }

  /**
   * {@code length} characters of words drawn from a small vocabulary: about as compressible as
   * chat text (roughly 3:1 with deflate), unlike {@link #padding}'s single repeated letter.
   */
  public static String words(int length) {
    String[] vocabulary = {"the", "room", "message", "hello", "world", "switchboard", "socket", "event", "about",
        "server", "client", "today", "again", "later", "thanks", "see", "you", "there", "new", "update"};
    StringBuilder out = new StringBuilder(length + 16);
    java.util.Random random = new java.util.Random(length);
    while (out.length() < length) {
      out.append(vocabulary[random.nextInt(vocabulary.length)]).append(random.nextInt(10) < 2 ? random.nextInt(1000) : "").append(' ');
    }
    out.setLength(Math.max(0, length));
    return out.toString();
  }

  /** {@code 42[...]} without ack, or {@code 42<id>[...]} with one. */
  public static String event(long ackId, String jsonArray) {
    return ackId < 0 ? "42" + jsonArray : "42" + ackId + jsonArray;
  }

  /** {@code "name"} then the given JSON values, as a JSON array. */
  public static String array(String name, String... jsonValues) {
    StringBuilder out = new StringBuilder(64).append("[\"").append(name).append('"');
    for (String value : jsonValues) {
      out.append(',').append(value);
    }
    return out.append(']').toString();
  }

  /** A JSON string literal for a plain name (room names here need no escaping). */
  public static String quoted(String plain) {
    return '"' + plain + '"';
  }

  /** The ack id of a {@code 43<id>[...]} packet. */
  public static long ackId(String packet) {
    long id = 0;
    for (int i = 2; i < packet.length(); i++) {
      char c = packet.charAt(i);
      if (c < '0' || c > '9') {
        return i == 2 ? -1 : id;
      }
      id = id * 10 + (c - '0');
    }
    return -1;
  }

  /** The nanoTime stamp carried by a packet's payload, or -1 when it carries none. */
  public static long stamp(String packet) {
    int at = packet.indexOf(STAMP_KEY);
    if (at < 0) {
      return -1;
    }
    int i = at + STAMP_KEY.length();
    boolean negative = i < packet.length() && packet.charAt(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    int start = i;
    for (; i < packet.length(); i++) {
      char c = packet.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    if (i == start) {
      return -1;
    }
    return negative ? -value : value;
  }

  /** The nanoTime stamp carried by a payload's bytes (an SSE event's data), or -1 when none. */
  public static long stamp(ByteBuf data) {
    int end = data.writerIndex();
    for (int at = data.readerIndex(); at + STAMP_KEY.length() <= end; at++) {
      if (startsWithKey(data, at)) {
        return digits(data, at + STAMP_KEY.length(), end);
      }
    }
    return -1;
  }

  private static boolean startsWithKey(ByteBuf data, int at) {
    for (int i = 0; i < STAMP_KEY.length(); i++) {
      if (data.getByte(at + i) != STAMP_KEY.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static long digits(ByteBuf data, int i, int end) {
    boolean negative = i < end && data.getByte(i) == '-';
    if (negative) {
      i++;
    }
    long value = 0;
    int start = i;
    for (; i < end; i++) {
      byte c = data.getByte(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    if (i == start) {
      return -1;
    }
    return negative ? -value : value;
  }
}
