package dev.switchboard.engineio.internal;

import dev.switchboard.http.internal.TransportWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.Optional;
import java.util.zip.Deflater;

/**
 * Writes Engine.IO packets as WebSocket frames, one packet per frame. Frames leave as finished
 * bytes, so on a plain-TCP connection they skip the pipeline (see {@link TransportWriter}). With
 * permessage-deflate agreed, packets from the threshold up are compressed here too: with this
 * connection's own Deflater when the server keeps its context, else with the thread's shared one,
 * and a broadcast's compressed frame is the one {@link SharedFrame} built for every recipient.
 */
final class WebSocketTransport {
  private final Channel channel;
  private final TransportWriter out;
  /** The agreed terms; null without compression. */
  private final PerMessageDeflate deflate;
  /** This connection's Deflater when the server keeps its context; null otherwise. */
  private final Deflater ownDeflater;

  WebSocketTransport(Channel channel) {
    this(channel, Optional.empty());
  }

  WebSocketTransport(Channel channel, Optional<PerMessageDeflate> deflate) {
    this.channel = channel;
    this.out = new TransportWriter(channel);
    this.deflate = deflate.orElse(null);
    // Without an explicit end(), the JDK frees the zlib state when the transport is collected.
    this.ownDeflater = this.deflate != null && !this.deflate.serverNoContextTakeover()
        ? new Deflater(this.deflate.level(), true) : null;
  }

  /** The agreed permessage-deflate terms, if any. */
  Optional<PerMessageDeflate> deflate() {
    return Optional.ofNullable(deflate);
  }

  Channel channel() {
    return channel;
  }

  /** Queues one packet without flushing; takes ownership of {@code packet}. */
  void write(ByteBuf packet, boolean binary) {
    int opcode = binary ? WebSocketFrames.BINARY : WebSocketFrames.TEXT;
    int length = packet.readableBytes();
    if (compresses(length)) {
      try {
        out.write(ownDeflater != null
            ? DeflatedMessages.frame(channel.alloc(), opcode, packet, ownDeflater, false)
            : DeflatedMessages.frame(channel.alloc(), opcode, packet, DeflatedMessages.sharedDeflater(deflate.level()), true));
      } finally {
        packet.release();
      }
    } else if (WebSocketFrames.copies(length)) {
      out.write(WebSocketFrames.frame(channel.alloc(), opcode, packet));
    } else {
      out.write(WebSocketFrames.header(channel.alloc(), opcode, length));
      out.write(packet);
    }
  }

  /** Queues bytes that already form a whole WebSocket frame (see {@link WebSocketFrames}). */
  void writeFramed(ByteBuf frame) {
    out.write(frame);
  }

  /**
   * Queues a message shared with other sessions: its plain frame, its compressed frame shared by
   * every recipient without server context takeover, or, with it, a frame compressed with this
   * connection's context. {@code frame} does not change hands.
   */
  void writeShared(SharedFrame frame) {
    if (!compresses(frame.payloadLength())) {
      out.write(frame.plain().retainedDuplicate());
    } else if (ownDeflater == null) {
      out.write(frame.deflated(deflate.level()).retainedDuplicate());
    } else {
      out.write(DeflatedMessages.frame(channel.alloc(), frame.opcode(), frame.payload(), ownDeflater, false));
    }
  }

  private boolean compresses(int length) {
    return deflate != null && length >= deflate.threshold();
  }

  /** Bytes written but not yet taken by the network. */
  long pendingBytes() {
    return out.pendingBytes();
  }

  void flush() {
    out.flush();
  }

  boolean writable() {
    return channel.isActive() && channel.isWritable();
  }

  /** Flushes what is queued, then closes with a normal-closure frame. */
  void close() {
    close(WebSocketCloseStatus.NORMAL_CLOSURE);
  }

  /** Closes with a close frame that gives no status, as Node's engine.io refuses a WebSocket it accepted. */
  void closeWithoutStatus() {
    if (channel.isActive()) {
      channel.writeAndFlush(WebSocketFrames.close(channel.alloc())).addListener(ChannelFutureListener.CLOSE);
    }
  }

  void close(WebSocketCloseStatus status) {
    if (channel.isActive()) {
      channel.writeAndFlush(WebSocketFrames.close(channel.alloc(), status)).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
