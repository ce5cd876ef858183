package dev.switchboard.server.chat;

/**
 * Reads an event stream one line at a time (as the HTTP client splits it) and hands over each
 * complete event: {@code event:} and {@code data:} fields, comments skipped, blank line dispatches.
 */
final class SseLineParser {
  /** Receives each complete event; {@code name} is {@code message} when the event had none. */
  interface Listener {
    void event(String name, String data);
  }

  private final Listener listener;
  private final StringBuilder data = new StringBuilder();
  private String name;
  private boolean hasData;

  SseLineParser(Listener listener) {
    this.listener = listener;
  }

  void line(String line) {
    if (line.isEmpty()) {
      dispatch();
      return;
    }
    if (line.charAt(0) == ':') {
      return;
    }
    int colon = line.indexOf(':');
    String field = colon < 0 ? line : line.substring(0, colon);
    String value = colon < 0 ? "" : line.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> name = value;
      case "data" -> {
        if (hasData) {
          data.append('\n');
        }
        data.append(value);
        hasData = true;
      }
      default -> { }
    }
  }

  /** The body ended: an event still waiting for its blank line is dispatched. */
  void end() {
    dispatch();
  }

  private void dispatch() {
    if (hasData) {
      String text = data.toString();
      String event = name == null || name.isEmpty() ? "message" : name;
      data.setLength(0);
      hasData = false;
      name = null;
      listener.event(event, text);
    } else {
      name = null;
    }
  }
}
