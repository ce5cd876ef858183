package dev.switchboard.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A broadcast as it travels between nodes: enough to encode it again on the receiving node.
 *
 * @param namespace the namespace name ({@code /})
 * @param event the event name
 * @param argsJson the arguments as a JSON array, binary values replaced by attachment placeholders
 * @param attachments the binary values, in placeholder order
 * @param rooms the target rooms in a stable order; empty for the whole namespace
 * @param except members of these rooms are skipped
 * @param volatileDelivery whether members that cannot take it right away skip it
 * @param keep whether room history keeps it (false for presence notices)
 * @param positioned whether its last argument, a JSON object, gets the field {@code position} (its
 *     place in its room's history) where it is kept
 */
public record ClusterBroadcast(String namespace, String event, byte[] argsJson, List<byte[]> attachments,
    List<String> rooms, Set<String> except, boolean volatileDelivery, boolean keep, boolean positioned) {
  public ClusterBroadcast {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(argsJson, "argsJson");
    attachments = List.copyOf(attachments);
    rooms = List.copyOf(rooms);
    except = Set.copyOf(except);
  }

  /** A broadcast whose last argument gets no position. */
  public ClusterBroadcast(String namespace, String event, byte[] argsJson, List<byte[]> attachments,
      List<String> rooms, Set<String> except, boolean volatileDelivery, boolean keep) {
    this(namespace, event, argsJson, attachments, rooms, except, volatileDelivery, keep, false);
  }

  /** The same broadcast narrowed to other rooms and exceptions. */
  public ClusterBroadcast narrowed(List<String> toRooms, Set<String> toExcept) {
    return new ClusterBroadcast(namespace, event, argsJson, attachments, toRooms, toExcept, volatileDelivery, keep, positioned);
  }
}
