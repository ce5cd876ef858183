package dev.switchboard.cluster;

import java.util.Objects;

/**
 * A room of a namespace became occupied (its first member on any node) or vacated (its last member
 * left, or the last node with members in it stopped). Each change is seen by exactly one node of
 * the cluster.
 *
 * @param namespace the namespace, such as {@code "/"}
 * @param room the room
 * @param occupied true when the room gained its first member, false when it lost its last one
 * @param sequence grows with each change of this room (microseconds of the clock that decided it,
 *     at least one more than the room's previous change): order one room's changes by it, since
 *     they may be seen by different nodes
 */
public record OccupancyChange(String namespace, String room, boolean occupied, long sequence) {
  public OccupancyChange {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(room, "room");
  }
}
