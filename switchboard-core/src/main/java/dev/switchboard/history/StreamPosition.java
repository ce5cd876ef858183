package dev.switchboard.history;

import java.util.Objects;
import java.util.Optional;

/**
 * A position in a room's history stream: the stream's epoch and an offset that grows by one per
 * message within that epoch. A new epoch means the stream was lost or reset, so offsets from an
 * older epoch cannot be continued.
 *
 * <p>Its one spelling is {@code epoch:offset} ({@link #toString()}), the same in a live message's
 * {@code meta.position}, a publish answer, a history query and (after {@code room@}) an SSE event id.
 */
public record StreamPosition(String epoch, long offset) {
  public StreamPosition {
    Objects.requireNonNull(epoch, "epoch");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative");
    }
  }

  /**
   * The position spelled {@code epoch:offset}; the older spelling {@code epoch.offset} (SSE event
   * ids before positions had one spelling) is read too. Empty when {@code text} is neither.
   */
  public static Optional<StreamPosition> parse(String text) {
    int separator = text.lastIndexOf(':');
    if (separator < 0) {
      separator = text.lastIndexOf('.');
    }
    if (separator <= 0 || separator == text.length() - 1) {
      return Optional.empty();
    }
    for (int i = separator + 1; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(new StreamPosition(text.substring(0, separator), Long.parseLong(text.substring(separator + 1))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return epoch + ":" + offset;
  }
}
