package dev.switchboard.cluster;

import java.util.List;

/**
 * A disconnected socket taken back, with the broadcasts it missed: those after its client's
 * offset that reached its rooms, oldest first, each with its own offset.
 */
public record RecoveredSocket(DisconnectedSocket state, List<Missed> missed) {
  public RecoveredSocket {
    missed = List.copyOf(missed);
  }

  /** A broadcast the socket missed and the offset it was sent with. */
  public record Missed(ClusterBroadcast broadcast, String offset) {}
}
