package dev.switchboard.engineio.internal;

import dev.switchboard.http.internal.TransportWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/**
 * Writes Engine.IO packets as WebSocket frames, one packet per frame. Frames leave as finished
 * bytes, so on a plain-TCP connection they skip the pipeline (see {@link TransportWriter}).
 */
final class WebSocketTransport {
  private final Channel channel;
  private final TransportWriter out;

  WebSocketTransport(Channel channel) {
    this.channel = channel;
    this.out = new TransportWriter(channel);
  }

  Channel channel() {
    return channel;
  }

  /** Queues one packet without flushing; takes ownership of {@code packet}. */
  void write(ByteBuf packet, boolean binary) {
    int opcode = binary ? WebSocketFrames.BINARY : WebSocketFrames.TEXT;
    int length = packet.readableBytes();
    if (WebSocketFrames.copies(length)) {
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
