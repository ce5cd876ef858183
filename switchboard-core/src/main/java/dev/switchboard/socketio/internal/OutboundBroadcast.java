package dev.switchboard.socketio.internal;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.RecoveredSocket;
import dev.switchboard.cluster.Stamp;
import dev.switchboard.engineio.internal.WebSocketFrames;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.http.internal.ChunkedCoding;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.sse.SseEvent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broadcast, encoded once per wire format and shared by every recipient: the Socket.IO
 * packet always, the SSE event body ({@code event:} and {@code data:} lines, without the id that
 * each stream writes itself) only when SSE members exist. Reference-counted as a whole.
 */
public final class OutboundBroadcast extends AbstractReferenceCounted {
  private static final Logger log = LoggerFactory.getLogger(OutboundBroadcast.class);

  private final String event;
  private final SioEncoder.Encoded socketIo;
  /** The Socket.IO packet framed once for WebSocket, written as is to every WebSocket recipient. */
  private final ByteBuf webSocketFrame;
  private final ByteBuf sseBody;
  /** The SSE body as one chunk of HTTP/1.1's chunked coding, written as is to every chunked stream; null with no body. */
  private final ByteBuf sseChunk;
  private final String room;
  private final StreamPosition position;
  /** The kept broadcast this was encoded from, as the cluster delivered it, and its stamp; null otherwise. */
  private ClusterBroadcast kept;
  private Stamp stamp;
  /** Its sequence number in this node's recovery log; 0 when it is not in it. */
  private long loggedSeq;

  private OutboundBroadcast(String event, SioEncoder.Encoded socketIo, ByteBuf sseBody, String room, StreamPosition position) {
    this.event = event;
    this.socketIo = socketIo;
    this.webSocketFrame = WebSocketFrames.text(ByteBufAllocator.DEFAULT, socketIo.text());
    this.sseBody = sseBody;
    this.sseChunk = sseBody == null ? null : ChunkedCoding.chunk(ByteBufAllocator.DEFAULT, sseBody);
    this.room = room;
    this.position = position;
  }

  /**
   * Encodes {@code event(wireArgs)} for Socket.IO in namespace {@code nsp}, and {@code event(args)}
   * for SSE. {@code position} is the message's place in {@code room}'s history, or null when it is
   * not kept.
   */
  static OutboundBroadcast encode(String nsp, String event, Object[] wireArgs, Object[] args, long ackId, boolean forSse,
      String room, StreamPosition position) {
    SioEncoder.Encoded socketIo = SioEncoder.event(nsp, event, wireArgs, ackId);
    ByteBuf sse = forSse ? sseBody(event, args.length == 0 ? null : args[0]) : null;
    return new OutboundBroadcast(event, socketIo, sse, room, position);
  }

  /** The SSE body of an event whose data is {@code firstArgument}; null when SSE cannot carry the name. */
  static ByteBuf sseBody(String event, Object firstArgument) {
    try {
      return SseEncoder.encode(SseEvent.of(event, Json.stringify(firstArgument)), ByteBufAllocator.DEFAULT);
    } catch (IllegalArgumentException e) {
      log.debug("event \"{}\" cannot be sent over SSE: {}", event, e.getMessage());
      return null;
    }
  }

  /** The SSE body for a message kept in history (its data: the first argument). */
  public static ByteBuf sseBody(dev.switchboard.history.HistoryEntry entry) {
    Object first = null;
    try {
      com.fasterxml.jackson.databind.JsonNode args = Json.MAPPER.readTree(entry.argsJson());
      if (args.isArray() && !args.isEmpty()) {
        first = Json.reviveBinary(args.get(0), entry.attachments());
      }
    } catch (java.io.IOException | SioProtocolException e) {
      log.warn("history entry {} of {} is unreadable: {}", entry.position(), entry.room(), e.getMessage());
      return null;
    }
    return sseBody(entry.event(), first);
  }

  /** Marks this as the encoding of a kept broadcast the cluster delivered with {@code stamp}; before fan-out. */
  OutboundBroadcast keptAs(ClusterBroadcast delivered, Stamp stamp) {
    this.kept = delivered;
    this.stamp = stamp;
    return this;
  }

  /** Whether a recovered socket's read already carried this broadcast (false when it is not kept). */
  boolean replayedBy(RecoveredSocket.Replayed replayed) {
    return kept != null && replayed.covers(kept, stamp);
  }

  /** Whether this is a kept broadcast to exactly one room, {@code room}. */
  boolean keptFor(String room) {
    return kept != null && kept.rooms().size() == 1 && kept.rooms().get(0).equals(room);
  }

  /** Marks this as the packet this node's recovery log numbered {@code seq}; before fan-out. */
  OutboundBroadcast loggedAs(long seq) {
    this.loggedSeq = seq;
    return this;
  }

  /** Whether this node's recovery log had numbered it by {@code lastSeq} (false when it is not in the log). */
  boolean loggedBy(long lastSeq) {
    return loggedSeq > 0 && loggedSeq <= lastSeq;
  }

  public String event() {
    return event;
  }

  /** The Socket.IO packet; shared, never released by recipients. */
  public SioEncoder.Encoded socketIo() {
    return socketIo;
  }

  /** The Socket.IO packet as a complete WebSocket text frame; shared, never released by recipients. */
  public ByteBuf webSocketFrame() {
    return webSocketFrame;
  }

  /** The SSE event body; shared, null when not encoded for SSE. */
  public ByteBuf sseBody() {
    return sseBody;
  }

  /** The SSE event body framed as one HTTP/1.1 chunk; shared, null when not encoded for SSE. */
  public ByteBuf sseChunk() {
    return sseChunk;
  }

  /** The room whose history holds this message, or null. */
  public String room() {
    return room;
  }

  /** The message's place in {@link #room()}'s history, or null. */
  public StreamPosition position() {
    return position;
  }

  @Override
  protected void deallocate() {
    socketIo.text().release();
    webSocketFrame.release();
    if (sseBody != null) {
      sseBody.release();
      sseChunk.release();
    }
  }

  @Override
  public ReferenceCounted touch(Object hint) {
    socketIo.text().touch(hint);
    return this;
  }
}
