package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
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
    channel.write(binary ? new BinaryWebSocketFrame(packet) : new TextWebSocketFrame(packet), channel.voidPromise());
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
    if (channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  void close(WebSocketCloseStatus status) {
    if (channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame(status)).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
