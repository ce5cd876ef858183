package dev.switchboard.socketio.internal;

import dev.switchboard.cluster.ClusterAdapter;
import dev.switchboard.rooms.internal.LocalAdapter;
import java.util.concurrent.CompletableFuture;

/**
 * What every delivery over a cluster shares: the other nodes learn which rooms have members here,
 * and a room is ready once the cluster carries its broadcasts to this node.
 */
abstract sealed class ClusterDelivery implements Delivery permits PubSubDelivery, SharedStreamsDelivery {
  final ClusterAdapter cluster;

  ClusterDelivery(ClusterAdapter cluster) {
    this.cluster = cluster;
  }

  /** Tells the cluster when this node gains its first member in a room of {@code nsp} and loses its last one. */
  @Override
  public final void followRooms(RealNamespace nsp) {
    nsp.adapter().onRoomActivity(new LocalAdapter.RoomActivity() {
      @Override
      public void active(String room) {
        cluster.roomActive(nsp.name(), room);
      }

      @Override
      public void inactive(String room) {
        cluster.roomInactive(nsp.name(), room);
      }
    });
  }

  @Override
  public final CompletableFuture<Void> listening(String nsp, String room) {
    return cluster.listening(nsp, room);
  }
}
