package dev.switchboard.rooms.internal;

import dev.switchboard.cluster.ClusterBroadcast;
import dev.switchboard.cluster.RecoveredSocket;
import dev.switchboard.cluster.Stamp;
import dev.switchboard.engineio.internal.SharedFrame;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.http.internal.ChunkedCoding;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.util.List;

/**
 * One broadcast, encoded once per wire format and shared by every recipient: the Socket.IO
 * packet always, the SSE event body ({@code event:} and {@code data:} lines, without the id that
 * each stream writes itself) only when SSE members exist. Reference-counted as a whole.
 */
public final class OutboundBroadcast extends AbstractReferenceCounted {
  private final String event;
  /** The Socket.IO packet (a text or binary Engine.IO message), then its binary attachments (almost always none). */
  private final ByteBuf socketIoPacket;
  private final boolean binary;
  private final List<byte[]> attachments;
  /** The Socket.IO packet framed once for WebSocket (compressed at most once), written as is to every WebSocket recipient. */
  private final SharedFrame webSocketFrame;
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

  private OutboundBroadcast(String event, ByteBuf socketIoPacket, boolean binary, List<byte[]> attachments, ByteBuf sseBody, String room,
      StreamPosition position) {
    this.event = event;
    this.socketIoPacket = socketIoPacket;
    this.binary = binary;
    this.attachments = attachments;
    this.webSocketFrame = SharedFrame.of(socketIoPacket, binary);
    this.sseBody = sseBody;
    this.sseChunk = sseBody == null ? null : ChunkedCoding.chunk(ByteBufAllocator.DEFAULT, sseBody);
    this.room = room;
    this.position = position;
  }

  /**
   * A broadcast of {@code event} whose Socket.IO packet is {@code socketIoPacket} (a binary
   * Engine.IO message when {@code binary}, else a text one) followed by {@code attachments}, and whose SSE body is {@code sseBody} (null when not encoded for SSE);
   * takes over both buffers. {@code position} is the message's place in {@code room}'s history,
   * or null when it is not kept.
   */
  public static OutboundBroadcast of(String event, ByteBuf socketIoPacket, boolean binary, List<byte[]> attachments,
      ByteBuf sseBody, String room, StreamPosition position) {
    return new OutboundBroadcast(event, socketIoPacket, binary, attachments, sseBody, room, position);
  }

  /** Marks this as the encoding of a kept broadcast the cluster delivered with {@code stamp}; before fan-out. */
  public OutboundBroadcast keptAs(ClusterBroadcast delivered, Stamp stamp) {
    this.kept = delivered;
    this.stamp = stamp;
    return this;
  }

  /** Whether a recovered socket's read already carried this broadcast (false when it is not kept). */
  public boolean replayedBy(RecoveredSocket.Replayed replayed) {
    return kept != null && replayed.covers(kept, stamp);
  }

  /** Whether this is a kept broadcast to exactly one room, {@code room}. */
  public boolean keptFor(String room) {
    return kept != null && kept.rooms().size() == 1 && kept.rooms().get(0).equals(room);
  }

  /** Marks this as the packet this node's recovery log numbered {@code seq}; before fan-out. */
  public OutboundBroadcast loggedAs(long seq) {
    this.loggedSeq = seq;
    return this;
  }

  /** Whether this node's recovery log had numbered it by {@code lastSeq} (false when it is not in the log). */
  public boolean loggedBy(long lastSeq) {
    return loggedSeq > 0 && loggedSeq <= lastSeq;
  }

  public String event() {
    return event;
  }

  /** The Socket.IO packet; shared, never released by recipients. */
  public ByteBuf socketIoPacket() {
    return socketIoPacket;
  }

  /** Whether the Socket.IO packet is a binary Engine.IO message (the msgpack parser's). */
  public boolean binary() {
    return binary;
  }

  /** The Socket.IO packet's binary attachments, written after its text. */
  public List<byte[]> attachments() {
    return attachments;
  }

  /** The Socket.IO packet as complete WebSocket frames; shared, never released by recipients. */
  public SharedFrame webSocketFrame() {
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
    socketIoPacket.release();
    webSocketFrame.release();
    if (sseBody != null) {
      sseBody.release();
      sseChunk.release();
    }
  }

  @Override
  public ReferenceCounted touch(Object hint) {
    socketIoPacket.touch(hint);
    return this;
  }
}
