package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.Json;
import dev.switchboard.socketio.Parser;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Optional;

/**
 * Encodes outbound Socket.IO packets straight into Engine.IO message bytes, in the wire format
 * of one {@link Parser}. Stateless: one instance serves a whole server.
 */
public sealed interface SioEncoder permits JsonSioEncoder, MsgpackSioEncoder {
  /**
   * An encoded packet: one Engine.IO message ({@code binary}: a binary message, else a text
   * message starting with the Engine.IO type), then the binary attachments to send after it.
   */
  record Encoded(ByteBuf packet, boolean binary, List<byte[]> attachments) {}

  static SioEncoder of(Parser parser) {
    return switch (parser) {
      case JSON -> JsonSioEncoder.INSTANCE;
      case MSGPACK -> MsgpackSioEncoder.INSTANCE;
    };
  }

  /** Whether its packets are binary Engine.IO messages. */
  boolean binary();

  /** An event, {@code [event, args...]}, with an ack id ({@code -1}: none). */
  Encoded event(String nsp, String event, Object[] args, long ackId);

  /**
   * The event {@code [event, args..., trailing]} ({@code trailing} left out when empty) when the
   * JSON of {@code args} is already at hand, as {@link Json#encodeArray(String, Object[])} made it with
   * no first element: a JSON encoder reuses those bytes instead of encoding the arguments again.
   */
  default Encoded event(String nsp, String event, Object[] args, Json.Encoded argsJson, Optional<String> trailing) {
    Object[] all = trailing.isEmpty() ? args : RecoveryLog.withOffset(args, trailing.get());
    return event(nsp, event, all, -1);
  }

  /** Whether {@link #event(String, String, Object[], Json.Encoded, Optional)} reuses the arguments' JSON. */
  default boolean reusesArgsJson() {
    return false;
  }

  Encoded ack(String nsp, long ackId, Object[] args);

  /** The CONNECT answer whose data is the JSON object {@code json} ({@code {"sid":"..."}}, plus {@code pid} with recovery). */
  Encoded connect(String nsp, String json);

  /** A CONNECT_ERROR, {@code {"message":"...","data":...}} ({@code data} left out when null). */
  Encoded connectError(String nsp, String message, Object data);

  Encoded disconnect(String nsp);

  /** Wraps bytes this encoder made earlier (a recovery log's copy) as a packet again. */
  default Encoded wrap(ByteBuf packet, List<byte[]> attachments) {
    return new Encoded(packet, binary(), attachments);
  }

  /** Refuses an event the server may not emit: its name is one the protocol reserves (connect, disconnect...). */
  static void checkEventName(String event) {
    if (SioDecoder.RESERVED_EVENTS.contains(event)) {
      throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
    }
  }
}
