package dev.switchboard.cluster;

import dev.switchboard.history.StreamPosition;
import java.util.List;
import java.util.Optional;

/**
 * A disconnected socket taken back, with the broadcasts it missed: those after its client's
 * offset that reached its rooms, oldest first, each with its own offset.
 */
public record RecoveredSocket(DisconnectedSocket state, List<Missed> missed) {
  public RecoveredSocket {
    missed = List.copyOf(missed);
  }

  /**
   * A broadcast the socket missed, the offset it was sent with and, when a room's history keeps
   * it, its position there.
   */
  public record Missed(ClusterBroadcast broadcast, String offset, Optional<StreamPosition> position) {
    /** A missed broadcast that no history keeps. */
    public Missed(ClusterBroadcast broadcast, String offset) {
      this(broadcast, offset, Optional.empty());
    }
  }
}
