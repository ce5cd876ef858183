package dev.switchboard.socketio.internal;

import dev.switchboard.rooms.ReservedEvents;
import dev.switchboard.socketio.Parser;
import java.util.Set;

/**
 * Decodes Socket.IO v5 packets from one connection's Engine.IO messages, in the wire format of
 * one {@link Parser}. Each call returns the completed packet, or null while a packet waits for
 * more messages (the JSON format's binary attachments). Any violation throws
 * {@link SioProtocolException}; the connection must then be closed. Loop-confined.
 */
public sealed interface SioDecoder permits JsonSioDecoder, MsgpackSioDecoder {
  /** Event names a client may not emit, as in Node's socket.io-parser. */
  Set<String> RESERVED_EVENTS = ReservedEvents.PROTOCOL;
  /** The largest ack id: JavaScript's largest safe integer. */
  long MAX_ACK_ID = (1L << 53) - 1;

  /**
   * A decoder of {@code parser}'s format; {@code maxAttachments} limits the JSON format's
   * attachments per packet (msgpack has none: its binary values are inline).
   */
  static SioDecoder of(Parser parser, int maxAttachments) {
    return switch (parser) {
      case JSON -> new JsonSioDecoder(maxAttachments);
      case MSGPACK -> new MsgpackSioDecoder();
    };
  }

  /** Decodes a text message. */
  SioPacket decodeText(String text);

  /** Decodes a binary message. */
  SioPacket decodeBinary(byte[] data);

  /** Whether a packet is waiting for more messages. */
  boolean awaitingAttachments();
}
