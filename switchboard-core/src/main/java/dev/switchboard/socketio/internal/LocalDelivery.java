package dev.switchboard.socketio.internal;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.history.internal.InMemoryRoomHistory;
import dev.switchboard.rooms.internal.BroadcastTarget;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A single node: every broadcast is delivered to this node's members, kept in its own history and recovery log. */
final class LocalDelivery implements Delivery {
  private final InMemoryRoomHistory history;

  LocalDelivery(InMemoryRoomHistory history) {
    this.history = history;
  }

  @Override
  public RoomHistory history() {
    return history;
  }

  @Override
  public CompletableFuture<Optional<StreamPosition>> broadcast(RealNamespace nsp, String event, Object[] args,
      BroadcastTarget target, boolean keep, boolean positioned) {
    return Delivery.answer(nsp.deliverHere(history, event, args, target, keep, positioned));
  }

  @Override
  public void fromCluster(RealNamespace nsp, ClusterBroadcast message, Object[] args) {
    throw new IllegalStateException("a single node gets no broadcast from a cluster");
  }

  @Override
  public void followRooms(RealNamespace nsp) {
    // no other node to tell
  }

  @Override
  public CompletableFuture<Void> listening(String nsp, String room) {
    return CompletableFuture.completedFuture(null);
  }
}
