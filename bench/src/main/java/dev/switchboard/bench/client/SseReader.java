package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Reads a {@code text/event-stream} body fed in arbitrary pieces and reports each complete event.
 * Fields {@code event:}, {@code data:} (several lines joined with LF) and {@code id:} are kept in
 * buffers reused from event to event; comments and {@code retry:} are skipped. Lines end with LF
 * or CRLF. Not thread-safe: one reader per stream, fed on its event loop.
 */
public final class SseReader {
  /** Longest line kept; a longer one is cut (the bench's events are far shorter). */
  static final int MAX_LINE = 64 * 1024;

  /** What a reader reports. */
  @FunctionalInterface
  public interface Events {
    /**
     * One event. The buffers are only valid during the call: {@code type} is empty for the
     * default type ("message"), {@code lastId} is the last id seen on the stream.
     */
    void onEvent(ByteBuf type, ByteBuf data, ByteBuf lastId);
  }

  private final Events events;
  private final ByteBuf partial = Unpooled.buffer(256);
  private final ByteBuf type = Unpooled.buffer(32);
  private final ByteBuf data = Unpooled.buffer(256);
  private final ByteBuf lastId = Unpooled.buffer(64);
  private boolean hasData;

  public SseReader(Events events) {
    this.events = events;
  }

  /** Reads what {@code chunk} holds (without releasing it), reporting every event it completes. */
  public void read(ByteBuf chunk) {
    int from = chunk.readerIndex();
    int end = chunk.writerIndex();
    while (from < end) {
      int lf = chunk.indexOf(from, end, (byte) '\n');
      if (lf < 0) {
        append(chunk, from, end - from);
        return;
      }
      if (partial.isReadable()) {
        append(chunk, from, lf - from);
        line(partial, partial.readerIndex(), partial.writerIndex());
        partial.clear();
      } else {
        line(chunk, from, lf);
      }
      from = lf + 1;
    }
  }

  private void append(ByteBuf chunk, int from, int length) {
    int room = MAX_LINE - partial.readableBytes();
    partial.writeBytes(chunk, from, Math.min(room, length));
  }

  /** One line, {@code [start, end)} of {@code buf}, without its LF. */
  private void line(ByteBuf buf, int start, int end) {
    if (end > start && buf.getByte(end - 1) == '\r') {
      end--;
    }
    if (end == start) {
      dispatch();
      return;
    }
    if (buf.getByte(start) == ':') {
      return;
    }
    int colon = buf.indexOf(start, end, (byte) ':');
    int nameEnd = colon < 0 ? end : colon;
    int value = colon < 0 ? end : colon + 1;
    if (value < end && buf.getByte(value) == ' ') {
      value++;
    }
    if (is(buf, start, nameEnd, "data")) {
      if (hasData) {
        data.writeByte('\n');
      }
      data.writeBytes(buf, value, end - value);
      hasData = true;
    } else if (is(buf, start, nameEnd, "event")) {
      type.clear().writeBytes(buf, value, end - value);
    } else if (is(buf, start, nameEnd, "id")) {
      lastId.clear().writeBytes(buf, value, end - value);
    }
  }

  private void dispatch() {
    if (hasData) {
      events.onEvent(type, data, lastId);
    }
    type.clear();
    data.clear();
    hasData = false;
  }

  private static boolean is(ByteBuf buf, int start, int end, String name) {
    if (end - start != name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (buf.getByte(start + i) != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
