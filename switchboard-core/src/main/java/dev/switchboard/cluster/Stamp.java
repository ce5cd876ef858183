package dev.switchboard.cluster;

import dev.switchboard.history.StreamPosition;
import java.util.Optional;

/**
 * Where a kept broadcast sits in the streams every node shares, assigned once when it was
 * published, so that every node hands it on with the same position and offset.
 *
 * @param room the room whose history holds it, when one does
 * @param position its place in that room's history
 * @param offset its place in the recovery streams, the offset clients resume from
 */
public record Stamp(Optional<String> room, Optional<StreamPosition> position, Optional<String> offset) {
  public Stamp {
    if (room.isPresent() != position.isPresent()) {
      throw new IllegalArgumentException("a history position needs its room");
    }
  }
}
