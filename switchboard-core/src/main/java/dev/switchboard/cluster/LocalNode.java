package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** This server as the cluster adapter sees it: where other nodes' broadcasts and requests land. */
public interface LocalNode {
  /** Delivers another node's broadcast to this node's members (encoded once, same fan-out as a local one). */
  void deliver(ClusterBroadcast broadcast);

  /**
   * Delivers a kept broadcast (this node's own included) with the positions the shared streams
   * gave it; called in the streams' order.
   */
  default void deliver(ClusterBroadcast broadcast, Stamp stamp) {
    deliver(broadcast);
  }

  /** Runs another node's request on this node's sockets; completes with the reply to send back. */
  CompletableFuture<JsonNode> handle(ClusterRequest request);

  /**
   * Delivers another node's broadcast that asks for acknowledgements to this node's members;
   * reports through {@code acks} how many it reached, then each acknowledgement that comes within
   * {@code timeout}.
   */
  void deliverWithAck(ClusterBroadcast broadcast, Duration timeout, ClusterAcks acks);

  /** Runs this node's server-side listeners of another node's event. */
  void serverEvent(ClusterServerEvent event);

  /**
   * Runs this node's server-side listeners of another node's event that waits for an answer;
   * reports through {@code acks} one answer to come when a listener exists, none otherwise.
   */
  void serverEventWithAck(ClusterServerEvent event, ClusterAcks acks);
}
