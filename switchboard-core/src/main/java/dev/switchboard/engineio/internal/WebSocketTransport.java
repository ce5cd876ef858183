package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;

/** Writes Engine.IO packets as WebSocket frames, one packet per frame. */
final class WebSocketTransport {
  private final Channel channel;

  WebSocketTransport(Channel channel) {
    this.channel = channel;
  }

  Channel channel() {
    return channel;
  }

  /** Queues one packet without flushing; takes ownership of {@code packet}. */
  void write(ByteBuf packet, boolean binary) {
    int opcode = binary ? WebSocketFrames.BINARY : WebSocketFrames.TEXT;
    int length = packet.readableBytes();
    if (WebSocketFrames.copies(length)) {
      channel.write(WebSocketFrames.frame(channel.alloc(), opcode, packet), channel.voidPromise());
    } else {
      channel.write(WebSocketFrames.header(channel.alloc(), opcode, length), channel.voidPromise());
      channel.write(packet, channel.voidPromise());
    }
  }

  /** Queues bytes that already form a whole WebSocket frame (see {@link WebSocketFrames}). */
  void writeFramed(ByteBuf frame) {
    channel.write(frame, channel.voidPromise());
  }

  /** Bytes written but not yet taken by the network. */
  long pendingBytes() {
    io.netty.channel.ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  void flush() {
    channel.flush();
  }

  boolean writable() {
    return channel.isActive() && channel.isWritable();
  }

  /** Flushes what is queued, then closes with a normal-closure frame. */
  void close() {
    close(WebSocketCloseStatus.NORMAL_CLOSURE);
  }

  void close(WebSocketCloseStatus status) {
    if (channel.isActive()) {
      channel.writeAndFlush(WebSocketFrames.close(channel.alloc(), status)).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
