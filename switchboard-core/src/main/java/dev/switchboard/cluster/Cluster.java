package dev.switchboard.cluster;

import io.micrometer.core.instrument.MeterRegistry;

import dev.switchboard.engineio.PollingRelay;
import dev.switchboard.presence.PresenceStore;
import java.util.Optional;

/**
 * The cluster a server belongs to: the adapter that carries broadcasts and server-side
 * operations to the other nodes, and the stores the nodes share. Without one, a server is a
 * single node and nothing of this is used. The owner of the cluster closes it after the server.
 */
public interface Cluster extends AutoCloseable {
  /** Carries broadcasts and operations between nodes. */
  ClusterAdapter adapter();

  /** The presence of {@code namespace}, shared by every node. */
  PresenceStore presence(String namespace);

  /** Per-user connections counted over every node. */
  ConnectionCounter connections();

  /** Which rooms have members on any node: each room's first member in and last member out, seen by one node. */
  RoomOccupancy occupancy();

  /**
   * Room history and connection state recovery shared by every node; empty (the default) when
   * each node keeps its own in memory, as a single server does.
   */
  default Optional<SharedStreams> streams() {
    return Optional.empty();
  }

  /**
   * Carries polling requests to the node that owns their session; empty when the cluster cannot,
   * and then a load balancer must keep each polling client on one node.
   */
  default Optional<PollingRelay> pollingRelay() {
    return Optional.empty();
  }

  /**
   * Registers the cluster's own meters (its backend's health and latency) in {@code registry}; the
   * server calls it when it was given a registry. None by default. They are removed when the
   * cluster closes.
   */
  default void bindTo(MeterRegistry registry) {}

  @Override
  void close();
}
