package dev.switchboard.sse.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.history.HistoryEntry;
import dev.switchboard.http.internal.Json;
import dev.switchboard.http.internal.PayloadException;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.sse.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The SSE body of a message kept in history, as a live broadcast of it would have carried it. */
final class HistorySseBodies {
  private static final Logger log = LoggerFactory.getLogger(HistorySseBodies.class);

  private HistorySseBodies() {}

  /** The SSE body for {@code entry} (its data: the first argument); null when unreadable or SSE cannot carry the name. */
  static ByteBuf of(HistoryEntry entry) {
    Object first = null;
    try {
      JsonNode args = Json.parse(entry.argsJson());
      if (args.isArray() && !args.isEmpty()) {
        first = Json.reviveBinary(args.get(0), entry.attachments());
      }
    } catch (IOException | PayloadException e) {
      log.warn("history entry {} of {} is unreadable: {}", entry.position(), entry.room(), e.getMessage());
      return null;
    }
    try {
      return SseEncoder.encode(SseEvent.of(entry.event(), Json.stringify(first)), ByteBufAllocator.DEFAULT);
    } catch (IllegalArgumentException e) {
      log.debug("event \"{}\" cannot be sent over SSE: {}", entry.event(), e.getMessage());
      return null;
    }
  }
}
