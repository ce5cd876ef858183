package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The cluster side of a namespace's rooms. The local adapter delivers every broadcast to this
 * node's members itself; this adapter gets each broadcast that is not {@code local()} to hand it
 * to the other nodes, and each server-side operation to run there. Every method may be called
 * from an event loop and must not block.
 */
public interface ClusterAdapter {
  /** Starts carrying messages; {@code node} receives what the other nodes send. Called once. */
  void start(LocalNode node);

  /** A broadcast this node already delivered to its own members, for every other node. */
  void publish(ClusterBroadcast broadcast);

  /** This node has its first member in {@code room} of {@code namespace}: broadcasts to it must reach this node. */
  void roomActive(String namespace, String room);

  /**
   * Completes once broadcasts to {@code room} of {@code namespace} published on any node reach
   * this node (its subscription is confirmed); at once when they already do or when nothing is
   * being set up for the room. May complete exceptionally when the cluster cannot confirm.
   */
  default CompletableFuture<Void> listening(String namespace, String room) {
    return CompletableFuture.completedFuture(null);
  }

  /** This node's last member left {@code room} of {@code namespace}. */
  void roomInactive(String namespace, String room);

  /**
   * Runs {@code request} on every other live node; completes with the replies that came within
   * {@code timeout} (never exceptionally: a node that does not answer is missing from the list).
   */
  CompletableFuture<List<JsonNode>> request(ClusterRequest request, Duration timeout);

  /**
   * A broadcast this node already sent to its own members, asking for acknowledgements, for
   * every other live node: each reports through {@code acks} how many of its sockets it reached,
   * then their acknowledgements, until {@code timeout}. Completes with how many nodes will report
   * (never exceptionally: 0 when it could not be sent).
   */
  CompletableFuture<Integer> publishWithAck(ClusterBroadcast broadcast, Duration timeout, ClusterAcks acks);

  /** Hands {@code event} to the server-side listeners of every other node; no answer. */
  void serverEvent(ClusterServerEvent event);

  /**
   * Hands {@code event} to the server-side listeners of every other live node: each node with a
   * listener reports one answer to come, a node without one reports none. Completes with how many
   * nodes will report (never exceptionally: 0 when it could not be sent).
   */
  CompletableFuture<Integer> serverEventWithAck(ClusterServerEvent event, Duration timeout, ClusterAcks acks);
}
