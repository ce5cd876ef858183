package dev.switchboard.sse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Writes the {@code text/event-stream} wire format. Pure: no I/O, no state. An event encoded once
 * can be handed to any number of streams with {@link SseStream#sendShared}.
 */
public final class SseEncoder {
  private SseEncoder() {}

  /** Encodes {@code event} into a new buffer the caller owns. */
  public static ByteBuf encode(SseEvent event, ByteBufAllocator alloc) {
    ByteBuf out = alloc.buffer(event.data().length() + 32);
    try {
      encode(event, out);
      return out;
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
  }

  /** Appends {@code event} to {@code out}, ending with the blank line that dispatches it. */
  public static void encode(SseEvent event, ByteBuf out) {
    event.id().ifPresent(id -> field(out, "id", id));
    event.event().ifPresent(name -> field(out, "event", name));
    event.retry().ifPresent(retry -> retry(out, retry));
    String data = event.data();
    int start = 0;
    for (int i = 0, n = data.length(); i < n; i++) {
      char c = data.charAt(i);
      if (c == '\r' || c == '\n') {
        field(out, "data", data.substring(start, i));
        if (c == '\r' && i + 1 < n && data.charAt(i + 1) == '\n') {
          i++;
        }
        start = i + 1;
      }
    }
    field(out, "data", data.substring(start));
    out.writeByte('\n');
  }

  /** Appends a comment ({@code : text}), which clients ignore; line breaks become spaces. */
  public static void comment(ByteBuf out, String text) {
    out.writeByte(':').writeByte(' ');
    ByteBufUtil.writeUtf8(out, text.replace('\r', ' ').replace('\n', ' '));
    out.writeByte('\n').writeByte('\n');
  }

  /** Appends a lone reconnection delay hint ({@code retry: millis}), dispatching no event. */
  public static void retryHint(ByteBuf out, Duration retry) {
    retry(out, retry);
    out.writeByte('\n');
  }

  private static void retry(ByteBuf out, Duration retry) {
    out.writeCharSequence("retry: " + retry.toMillis() + "\n", StandardCharsets.US_ASCII);
  }

  private static void field(ByteBuf out, String name, String value) {
    out.writeCharSequence(name, StandardCharsets.US_ASCII);
    out.writeByte(':').writeByte(' ');
    ByteBufUtil.writeUtf8(out, value);
    out.writeByte('\n');
  }
}
