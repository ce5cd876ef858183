package dev.switchboard.socketio.internal;

import dev.switchboard.history.StreamPosition;
import dev.switchboard.http.internal.Json;
import dev.switchboard.rooms.internal.OutboundBroadcast;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.sse.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Encodes a broadcast once per wire format: the Socket.IO packet always, the SSE body when SSE members exist. */
final class BroadcastEncoder {
  private static final Logger log = LoggerFactory.getLogger(BroadcastEncoder.class);

  private BroadcastEncoder() {}

  /**
   * Encodes {@code event(wireArgs)} for Socket.IO in namespace {@code nsp} with {@code encoder}, and {@code event(args)}
   * for SSE. {@code position} is the message's place in {@code room}'s history, or null when it is
   * not kept.
   */
  static OutboundBroadcast encode(SioEncoder encoder, String nsp, String event, Object[] wireArgs, Object[] args, long ackId, boolean forSse,
      String room, StreamPosition position) {
    SioEncoder.Encoded socketIo = encoder.event(nsp, event, wireArgs, ackId);
    ByteBuf sse = forSse ? sseBody(event, args.length == 0 ? null : args[0]) : null;
    return OutboundBroadcast.of(event, socketIo.packet(), socketIo.binary(), socketIo.attachments(), sse, room, position);
  }

  /**
   * Encodes {@code event(args, trailing?)} as {@link #encode} does, from the JSON of {@code args}
   * already made for the room's history.
   */
  static OutboundBroadcast encodeKept(SioEncoder encoder, String nsp, String event, Object[] args, Json.Encoded argsJson,
      Optional<String> trailing, boolean forSse, String room, StreamPosition position) {
    SioEncoder.Encoded socketIo = encoder.event(nsp, event, args, argsJson, trailing);
    ByteBuf sse = forSse ? sseBody(event, args.length == 0 ? null : args[0]) : null;
    return OutboundBroadcast.of(event, socketIo.packet(), socketIo.binary(), socketIo.attachments(), sse, room, position);
  }

  /** The SSE body of an event whose data is {@code firstArgument}; null when SSE cannot carry the name. */
  private static ByteBuf sseBody(String event, Object firstArgument) {
    try {
      return SseEncoder.encode(SseEvent.of(event, Json.stringify(firstArgument)), ByteBufAllocator.DEFAULT);
    } catch (IllegalArgumentException e) {
      log.debug("event \"{}\" cannot be sent over SSE: {}", event, e.getMessage());
      return null;
    }
  }
}
