package dev.switchboard.socketio.internal;

import dev.switchboard.cluster.ClusterAdapter;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.rooms.internal.BroadcastTarget;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A cluster over pub/sub: a broadcast is delivered to this node's members (kept in this node's
 * history and recovery log), then published once for the other nodes, which do the same with it.
 */
final class PubSubDelivery implements Delivery {
  private final ClusterAdapter cluster;

  PubSubDelivery(ClusterAdapter cluster) {
    this.cluster = cluster;
  }

  @Override
  public CompletableFuture<Optional<StreamPosition>> broadcast(RealNamespace nsp, String event, Object[] args,
      BroadcastTarget target, boolean keep, boolean positioned) {
    Optional<StreamPosition> position = nsp.deliverHere(event, args, target, keep, positioned);
    if (!target.local()) {
      cluster.publish(nsp.clusterBroadcast(event, args, target, keep, positioned));
    }
    return Delivery.answer(position);
  }

  @Override
  public void fromCluster(RealNamespace nsp, ClusterBroadcast message, Object[] args) {
    nsp.deliverHere(message.event(), args, Delivery.here(message), message.keep(), message.positioned());
  }

  @Override
  public void emitRecoverable(RealNamespace nsp, RealSocket socket, String event, Object[] args) {
    socket.emitLogged(event, args);
  }

  @Override
  public void followRooms(RealNamespace nsp) {
    Delivery.followRooms(cluster, nsp);
  }

  @Override
  public CompletableFuture<Void> listening(String nsp, String room) {
    return cluster.listening(nsp, room);
  }

  @Override
  public CompletableFuture<Void> persist(RealNamespace nsp, String sid, String pid, Set<String> rooms,
      Map<String, Object> data) {
    return Delivery.persistHere(nsp, sid, pid, rooms, data);
  }

  @Override
  public CompletableFuture<Void> persistForShutdown(RealNamespace nsp, Collection<RealSocket> sockets) {
    return CompletableFuture.completedFuture(null);
  }
}
