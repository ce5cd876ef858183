package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.Cluster;
import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.ClusterServerEvent;
import dev.switchboard.cluster.ConnectionCounter;
import dev.switchboard.cluster.LocalNode;
import dev.switchboard.cluster.RoomOccupancy;
import dev.switchboard.http.internal.Json;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.socketio.Args;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The other nodes of a cluster, reached through its adapter; presence and connection counts live in its stores. */
final class ClusterNodes implements OtherNodes {
  private final Cluster cluster;

  ClusterNodes(Cluster cluster) {
    this.cluster = cluster;
  }

  @Override
  public void start(LocalNode node) {
    cluster.adapter().start(node);
  }

  @Override
  public PresenceStore presence(String namespace) {
    return cluster.presence(namespace);
  }

  @Override
  public ConnectionCounter connections() {
    return cluster.connections();
  }

  @Override
  public RoomOccupancy occupancy() {
    return cluster.occupancy();
  }

  @Override
  public CompletableFuture<List<JsonNode>> request(ClusterRequest request, Duration timeout) {
    return cluster.adapter().request(request, timeout);
  }

  @Override
  public void publishWithAck(List<String> namespaces, String event, Object[] args, BroadcastTarget target,
      Duration timeout, AckCollector collector) {
    Json.Encoded encoded = Json.encodeArray(null, args);
    List<String> rooms = target.rooms().stream().sorted().toList();
    for (String namespace : namespaces) {
      ClusterBroadcast broadcast = new ClusterBroadcast(namespace, event, encoded.json(), encoded.attachments(),
          rooms, target.except(), target.volatileDelivery(), false);
      cluster.adapter().publishWithAck(broadcast, timeout, collector.fromOtherNodes())
          .whenComplete((nodes, error) -> collector.otherNodes(nodes == null ? 0 : nodes));
    }
  }

  @Override
  public void serverEvent(String namespace, String event, Object[] args) {
    cluster.adapter().serverEvent(encode(namespace, event, args));
  }

  @Override
  public CompletableFuture<List<Args>> serverEventWithAck(String namespace, String event, Object[] args,
      Duration timeout) {
    AckCollector collector = new AckCollector(1, timeout, event);
    cluster.adapter().serverEventWithAck(encode(namespace, event, args), timeout, collector.fromOtherNodes())
        .whenComplete((nodes, error) -> collector.otherNodes(nodes == null ? 0 : nodes));
    return collector.result();
  }

  private static ClusterServerEvent encode(String namespace, String event, Object[] args) {
    Json.Encoded encoded = Json.encodeArray(null, args);
    return new ClusterServerEvent(namespace, event, encoded.json(), encoded.attachments());
  }
}
