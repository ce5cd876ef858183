package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.ConnectionCounter;
import dev.switchboard.cluster.LocalNode;
import dev.switchboard.cluster.RoomOccupancy;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.presence.internal.InMemoryPresenceStore;
import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.socketio.Args;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A single node, or a {@code local()} operation: nothing to reach beyond this node, which keeps
 * presence itself and counts each user's connections alone.
 */
final class NoOtherNodes implements OtherNodes {
  static final NoOtherNodes INSTANCE = new NoOtherNodes();

  private static final CompletableFuture<List<JsonNode>> NO_REPLIES = CompletableFuture.completedFuture(List.of());
  private static final CompletableFuture<Boolean> ADMITTED = CompletableFuture.completedFuture(true);

  /** This node's own count ({@link EventGate}) is the only one: the shared count admits every connection. */
  private static final ConnectionCounter THIS_NODE_ONLY = new ConnectionCounter() {
    @Override
    public CompletableFuture<Boolean> admit(String userId, String connectionId, int max) {
      return ADMITTED;
    }

    @Override
    public void release(String userId, String connectionId) {
      // nothing counted beyond this node
    }
  };

  private NoOtherNodes() {}

  @Override
  public void start(LocalNode node) {
    // nothing sends to this node
  }

  @Override
  public PresenceStore presence(String namespace) {
    return new InMemoryPresenceStore();
  }

  @Override
  public ConnectionCounter connections() {
    return THIS_NODE_ONLY;
  }

  @Override
  public RoomOccupancy occupancy() {
    return new LocalOccupancy();
  }

  @Override
  public CompletableFuture<List<JsonNode>> request(ClusterRequest request, Duration timeout) {
    return NO_REPLIES;
  }

  @Override
  public void publishWithAck(List<String> namespaces, String event, Object[] args, BroadcastTarget target,
      Duration timeout, AckCollector collector) {
    for (int i = 0; i < namespaces.size(); i++) {
      collector.otherNodes(0);
    }
  }

  @Override
  public void serverEvent(String namespace, String event, Object[] args) {
    // no other node listens
  }

  @Override
  public CompletableFuture<List<Args>> serverEventWithAck(String namespace, String event, Object[] args,
      Duration timeout) {
    return CompletableFuture.completedFuture(List.of());
  }
}
