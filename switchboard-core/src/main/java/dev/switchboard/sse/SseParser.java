package dev.switchboard.sse;

import java.time.Duration;

/**
 * The reading side of {@link SseEncoder}: interprets a {@code text/event-stream} as a browser's
 * EventSource does (the HTML standard), fed one line at a time without its line break, and reports
 * each event its blank line dispatches. Pure: no I/O, no threads; one parser per stream, fed from
 * one thread at a time.
 */
public final class SseParser {
  /** What a parser reports, in stream order. */
  public interface Listener {
    /**
     * One dispatched event: {@code lastEventId} is what a browser would send back as
     * {@code Last-Event-ID} now ({@code ""} while the stream has set none), {@code event} is
     * {@code "message"} when the stream named none, {@code data} its {@code data:} lines joined
     * with line feeds.
     */
    void event(String lastEventId, String event, String data);

    /** A {@code retry:} field with a valid value (ASCII digits only; others are ignored). */
    default void retry(Duration delay) {}

    /** A comment line (a heartbeat, say), without its leading colon. */
    default void comment(String text) {}
  }

  private final Listener listener;
  private final StringBuilder data = new StringBuilder();
  private String eventType = "";
  private String idBuffer = "";
  private String lastEventId = "";
  private boolean hasData;

  public SseParser(Listener listener) {
    this.listener = listener;
  }

  /** Reads one line, given without its line break (CR, LF or CRLF). */
  public void line(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      listener.comment(line.substring(1));
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> eventType = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          idBuffer = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.length() < 19 && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
          listener.retry(Duration.ofMillis(Long.parseLong(value)));
        }
      }
      default -> { }
    }
  }

  /** The id a browser would send back as {@code Last-Event-ID} now; {@code ""} while none was set. */
  public String lastEventId() {
    return lastEventId;
  }

  /**
   * The stream ended: an event still waiting for its blank line is dispatched, as if the line had
   * come. A browser drops such an event; a client of a server that ends its last event without the
   * blank line (some model APIs do) calls this to keep it.
   */
  public void end() {
    dispatch();
  }

  private void dispatch() {
    lastEventId = idBuffer;
    String type = eventType.isEmpty() ? "message" : eventType;
    eventType = "";
    if (!hasData) {
      return;
    }
    String text = data.toString();
    data.setLength(0);
    hasData = false;
    listener.event(lastEventId, type, text);
  }
}
