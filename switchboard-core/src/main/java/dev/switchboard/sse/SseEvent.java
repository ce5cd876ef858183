package dev.switchboard.sse;

import java.time.Duration;
import java.util.Objects;

/**
 * One Server-Sent Event. {@code data} is the payload as text, usually JSON; line breaks in it
 * become several {@code data:} lines on the wire and are joined back by the browser.
 *
 * @param id the event id ({@code Last-Event-ID} on reconnect), or null
 * @param event the event name ({@code addEventListener(name)}), or null for a plain {@code message}
 * @param data the payload text, never null
 * @param retry the reconnection delay to advise, or null
 */
public record SseEvent(String id, String event, String data, Duration retry) {
  public SseEvent {
    Objects.requireNonNull(data, "data");
    requireSingleLine("id", id);
    requireSingleLine("event", event);
    if (id != null && id.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("SSE id must not contain NUL");
    }
    if (retry != null && retry.isNegative()) {
      throw new IllegalArgumentException("SSE retry must not be negative");
    }
  }

  /** A plain {@code message} event carrying {@code data}. */
  public static SseEvent data(String data) {
    return new SseEvent(null, null, data, null);
  }

  /** A named event carrying {@code data}. */
  public static SseEvent of(String event, String data) {
    return new SseEvent(null, event, data, null);
  }

  /** This event with {@code id}. */
  public SseEvent withId(String id) {
    return new SseEvent(id, event, data, retry);
  }

  /** This event with a reconnection delay hint. */
  public SseEvent withRetry(Duration retry) {
    return new SseEvent(id, event, data, retry);
  }

  private static void requireSingleLine(String field, String value) {
    if (value != null && (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0)) {
      throw new IllegalArgumentException("SSE " + field + " must not contain line breaks");
    }
  }
}
