package dev.switchboard.socketio.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * A Socket.IO v5 packet decoded from a client, binary attachments already put back in place
 * (as {@code BinaryNode}s). Outbound packets are encoded by {@link SioEncoder} without records.
 */
public sealed interface SioPacket {
  /** The namespace, {@code "/"} by default. */
  String nsp();

  /** {@code 0}: connect to a namespace, with an optional auth payload (null when absent). */
  record Connect(String nsp, JsonNode auth) implements SioPacket {}

  /** {@code 1}: leave a namespace. */
  record Disconnect(String nsp) implements SioPacket {}

  /** {@code 2} or {@code 5}: an event; {@code args} holds the event name first. ackId is -1 without ack. */
  record Event(String nsp, long ackId, ArrayNode args) implements SioPacket {
    public String name() {
      JsonNode first = args.get(0);
      return first.isTextual() ? first.textValue() : first.asText();
    }
  }

  /** {@code 3} or {@code 6}: the answer to an event the server sent with an ack id. */
  record Ack(String nsp, long ackId, ArrayNode args) implements SioPacket {}

  /** {@code 4}: sent by servers only; decoded for completeness. */
  record ConnectError(String nsp, JsonNode data) implements SioPacket {}

  String DEFAULT_NSP = "/";
}
