package dev.switchboard.cluster;

import java.util.List;
import java.util.Objects;

/**
 * An event from one node to the server-side listeners of the other nodes' namespace, as Node's
 * {@code io.serverSideEmit(...)}.
 *
 * @param namespace the namespace name ({@code /})
 * @param event the event name
 * @param argsJson the arguments as a JSON array, binary values replaced by attachment placeholders
 * @param attachments the binary values, in placeholder order
 */
public record ClusterServerEvent(String namespace, String event, byte[] argsJson, List<byte[]> attachments) {
  public ClusterServerEvent {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(argsJson, "argsJson");
    attachments = List.copyOf(attachments);
  }
}
