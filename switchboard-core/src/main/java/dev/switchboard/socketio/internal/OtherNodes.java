package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.cluster.Cluster;
import dev.switchboard.cluster.ClusterRequest;
import dev.switchboard.cluster.ConnectionCounter;
import dev.switchboard.cluster.LocalNode;
import dev.switchboard.cluster.RoomOccupancy;
import dev.switchboard.presence.PresenceStore;
import dev.switchboard.rooms.internal.BroadcastTarget;
import dev.switchboard.socketio.Args;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The other nodes of this server's cluster, as everything beside plain broadcasts reaches them:
 * acknowledged broadcasts, server-side operations and events, and the stores every node shares
 * (presence, per-user connection counts). Chosen once at start with the {@link Delivery}; a single
 * node has none, and keeps those stores itself. No caller asks which one it has.
 */
sealed interface OtherNodes permits NoOtherNodes, ClusterNodes {
  /** The other nodes of {@code cluster}, or none when the server is a single node. */
  static OtherNodes of(Optional<Cluster> cluster) {
    return cluster.<OtherNodes>map(ClusterNodes::new).orElse(NoOtherNodes.INSTANCE);
  }

  /** Starts receiving what the other nodes send, through {@code node}. Called once. */
  void start(LocalNode node);

  /** The presence of {@code namespace}: shared by every node, or this node's own. */
  PresenceStore presence(String namespace);

  /** Counts each user's connections over every node; a single node counts them alone (this admits all). */
  ConnectionCounter connections();

  /** Which rooms have members anywhere: decided with every node, or by this node alone. */
  RoomOccupancy occupancy();

  /**
   * Runs {@code request} on every other node; completes with the replies that came within
   * {@code timeout} (none without other nodes).
   */
  CompletableFuture<List<JsonNode>> request(ClusterRequest request, Duration timeout);

  /**
   * Sends the acknowledged broadcast {@code event(args)} to {@code target} of each of
   * {@code namespaces} to the other nodes: for each namespace, {@code collector} learns how many
   * nodes will report (none without other nodes), then their reports and answers.
   */
  void publishWithAck(List<String> namespaces, String event, Object[] args, BroadcastTarget target, Duration timeout,
      AckCollector collector);

  /** Hands the server-side event {@code event(args)} of {@code namespace} to the other nodes' listeners. */
  void serverEvent(String namespace, String event, Object[] args);

  /** As {@link #serverEvent}, with one answer from each node that listens, within {@code timeout}. */
  CompletableFuture<List<Args>> serverEventWithAck(String namespace, String event, Object[] args, Duration timeout);
}
