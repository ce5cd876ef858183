package dev.switchboard.cluster;

import dev.switchboard.history.StreamPosition;
import java.util.List;
import java.util.Optional;

/**
 * A disconnected socket taken back, with the broadcasts it missed: those after its client's
 * offset that reached its rooms, oldest first, each with its own offset.
 *
 * @param replayed tells which kept broadcasts that reach the socket live were already accounted
 *     for when {@code missed} was read, so that none is delivered twice
 */
public record RecoveredSocket(DisconnectedSocket state, List<Missed> missed, Replayed replayed) {
  public RecoveredSocket {
    missed = List.copyOf(missed);
  }

  /**
   * A broadcast the socket missed, the offset it was sent with and, when a room's history keeps
   * it, its position there.
   */
  public record Missed(ClusterBroadcast broadcast, String offset, Optional<StreamPosition> position) {}

  /** Where the read of what a socket missed ended, in every stream it read. */
  @FunctionalInterface
  public interface Replayed {
    /**
     * Whether a kept broadcast, as handed to {@link LocalNode#deliver(ClusterBroadcast, Stamp)},
     * was already in its stream when the missed broadcasts were read: then it is among them, or it
     * came before the client's offset, and the socket must not get it again.
     */
    boolean covers(ClusterBroadcast delivered, Stamp stamp);
  }
}
