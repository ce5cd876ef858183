package dev.switchboard.sse;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One Server-Sent Event. {@code data} is the payload as text, usually JSON; line breaks in it
 * become several {@code data:} lines on the wire and are joined back by the browser.
 *
 * @param id the event id ({@code Last-Event-ID} on reconnect), if any
 * @param event the event name ({@code addEventListener(name)}); a plain {@code message} when empty
 * @param data the payload text
 * @param retry the reconnection delay to advise, if any
 */
public record SseEvent(Optional<String> id, Optional<String> event, String data, Optional<Duration> retry) {
  public SseEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(retry, "retry");
    id.ifPresent(value -> requireSingleLine("id", value));
    event.ifPresent(value -> requireSingleLine("event", value));
    if (id.filter(value -> value.indexOf('\0') >= 0).isPresent()) {
      throw new IllegalArgumentException("SSE id must not contain NUL");
    }
    if (retry.filter(Duration::isNegative).isPresent()) {
      throw new IllegalArgumentException("SSE retry must not be negative");
    }
  }

  /** A plain {@code message} event carrying {@code data}. */
  public static SseEvent data(String data) {
    return new SseEvent(Optional.empty(), Optional.empty(), data, Optional.empty());
  }

  /** A named event carrying {@code data}. */
  public static SseEvent of(String event, String data) {
    return new SseEvent(Optional.empty(), Optional.of(event), data, Optional.empty());
  }

  /** This event with {@code id}. */
  public SseEvent withId(String id) {
    return new SseEvent(Optional.of(id), event, data, retry);
  }

  /** This event with a reconnection delay hint. */
  public SseEvent withRetry(Duration retry) {
    return new SseEvent(id, event, data, Optional.of(retry));
  }

  private static void requireSingleLine(String field, String value) {
    if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
      throw new IllegalArgumentException("SSE " + field + " must not contain line breaks");
    }
  }
}
