package dev.switchboard.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Which rooms have members on any node: each node reports when it has its first member in a room
 * and when its last one leaves, and the occupancy decides whether that made the room occupied or
 * vacated for the whole cluster, so that of all the nodes exactly one sees each change. A node
 * that stops without leaving its rooms is taken as gone once its entries expire, and a live node
 * reports the rooms that left vacated. A socket's own room is never reported. Methods must not
 * block.
 */
public interface RoomOccupancy {
  /**
   * Starts deciding: {@code changes} hears every change this node sees, on whichever thread saw
   * it (it must not block). Called once, before {@link #entered} or {@link #left}.
   */
  void start(Consumer<OccupancyChange> changes);

  /** This node has its first member in {@code room}; called in order with {@link #left} for the same room. */
  void entered(String namespace, String room);

  /** This node's last member left {@code room}. */
  void left(String namespace, String room);

  /**
   * Completes once what was reported so far for {@code room} with {@link #entered} and
   * {@link #left} is decided and its changes handed to the listener (or could not be decided): a
   * join is acknowledged after it, so that a member who joined before another left is counted
   * before that leave. At once when deciding does not wait for anything.
   */
  default CompletableFuture<Void> decided(String namespace, String room) {
    return CompletableFuture.completedFuture(null);
  }

  /**
   * Completes once everything reported so far with {@link #entered} and {@link #left} is decided
   * and its changes handed to the listener (or could not be decided); at once when deciding does
   * not wait for anything. For a graceful stop.
   */
  default CompletableFuture<Void> settled() {
    return CompletableFuture.completedFuture(null);
  }
}
