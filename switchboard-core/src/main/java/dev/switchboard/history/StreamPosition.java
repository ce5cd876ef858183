package dev.switchboard.history;

import java.util.Objects;

/**
 * A position in a room's history stream: the stream's epoch and an offset that grows by one per
 * message within that epoch. A new epoch means the stream was lost or reset, so offsets from an
 * older epoch cannot be continued.
 */
public record StreamPosition(String epoch, long offset) {
  public StreamPosition {
    Objects.requireNonNull(epoch, "epoch");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative");
    }
  }

  @Override
  public String toString() {
    return epoch + ":" + offset;
  }
}
