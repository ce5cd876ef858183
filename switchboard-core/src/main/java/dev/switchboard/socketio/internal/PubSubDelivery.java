package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.Json;
import dev.switchboard.cluster.ClusterAdapter;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.history.RoomHistory;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.history.internal.InMemoryRoomHistory;
import dev.switchboard.rooms.internal.BroadcastTarget;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A cluster over pub/sub: a broadcast is delivered to this node's members (kept in this node's
 * history and recovery log), then published once for the other nodes, which do the same with it.
 */
final class PubSubDelivery extends ClusterDelivery {
  private final InMemoryRoomHistory history;

  PubSubDelivery(ClusterAdapter cluster, InMemoryRoomHistory history) {
    super(cluster);
    this.history = history;
  }

  @Override
  public RoomHistory history() {
    return history;
  }

  @Override
  public CompletableFuture<Optional<StreamPosition>> broadcast(RealNamespace nsp, String event, Object[] args,
      BroadcastTarget target, boolean keep, boolean positioned) {
    if (target.local()) {
      return Delivery.answer(nsp.deliverHere(history, event, args, target, keep, positioned));
    }
    // One JSON for the cluster message, the history copy and the frame.
    Json.Encoded argsJson = Json.encodeArray(null, args);
    Optional<StreamPosition> position = nsp.deliverHere(history, event, args, Optional.of(argsJson), target, keep,
        positioned);
    cluster.publish(nsp.clusterBroadcast(event, argsJson, target, keep, positioned));
    return Delivery.answer(position);
  }

  @Override
  public void fromCluster(RealNamespace nsp, ClusterBroadcast message, Object[] args) {
    nsp.deliverHere(history, message.event(), args, Optional.of(new Json.Encoded(message.argsJson(), message.attachments())),
        Delivery.here(message), message.keep(), message.positioned());
  }
}
