package dev.switchboard.redis;

import dev.switchboard.history.StreamPosition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** One entry of a stream as a script returns it: its id and its field/value pairs. */
record StreamEntry(String id, List<?> fields) {
  static StreamEntry of(Object item) {
    List<?> pair = (List<?>) item;
    return new StreamEntry(RedisStreams.text(pair.get(0)), (List<?>) pair.get(1));
  }

  /** The history position a recovery entry holds ({@code p}), when its message is kept in history. */
  Optional<StreamPosition> position() {
    byte[] value = field("p");
    return value == null ? Optional.empty() : StreamPosition.parse(new String(value, StandardCharsets.UTF_8));
  }

  /** The bytes of its values. */
  long size() {
    long size = 0;
    for (int i = 1; i < fields.size(); i += 2) {
      size += ((byte[]) fields.get(i)).length;
    }
    return size;
  }

  /** The value of {@code name}, or null. */
  byte[] field(String name) {
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      if (name.equals(new String((byte[]) fields.get(i), StandardCharsets.UTF_8))) {
        return (byte[]) fields.get(i + 1);
      }
    }
    return null;
  }
}
