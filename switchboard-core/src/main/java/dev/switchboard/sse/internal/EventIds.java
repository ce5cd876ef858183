package dev.switchboard.sse.internal;

import dev.switchboard.history.StreamPosition;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * SSE event ids that say where a stream stands in every room it follows: comma-separated
 * {@code room@position} items ({@code room@epoch:offset}, the position spelled as everywhere else),
 * the room percent-encoded where it holds {@code % , @} or anything outside printable ASCII. The
 * browser sends the last one back as {@code Last-Event-ID}; ids of the older spelling
 * {@code room@epoch.offset} are read too.
 */
public final class EventIds {
  private EventIds() {}

  public static String encode(Map<String, StreamPosition> cursors) {
    StringBuilder id = new StringBuilder();
    for (Map.Entry<String, StreamPosition> entry : cursors.entrySet()) {
      if (!id.isEmpty()) {
        id.append(',');
      }
      escape(entry.getKey(), id);
      id.append('@').append(entry.getValue());
    }
    return id.toString();
  }

  /** The cursors in {@code id}, or empty when it is not an id this server wrote. */
  public static Optional<Map<String, StreamPosition>> parse(String id) {
    Map<String, StreamPosition> cursors = new LinkedHashMap<>();
    if (id.isBlank()) {
      return Optional.of(cursors);
    }
    try {
      for (String item : id.split(",", -1)) {
        int at = item.lastIndexOf('@');
        Optional<StreamPosition> position = at <= 0 ? Optional.empty() : StreamPosition.parse(item.substring(at + 1));
        if (position.isEmpty()) {
          return Optional.empty();
        }
        cursors.put(unescape(item.substring(0, at)), position.get());
      }
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(cursors);
  }

  private static void escape(String room, StringBuilder out) {
    for (byte b : room.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c <= 0x20 || c >= 0x7f || c == '%' || c == ',' || c == '@') {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        out.append((char) c);
      }
    }
  }

  private static String unescape(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length()) {
          throw new IllegalArgumentException("bad escape");
        }
        bytes.write(Integer.parseInt(text, i + 1, i + 3, 16));
        i += 2;
      } else {
        bytes.write(c);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
