package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.Map;

/**
 * Writes Engine.IO packets as WebSocket frames, one packet per frame.
 *
 * <p>Frames leave as finished bytes, so on a plain-TCP connection no handler has anything to do
 * with them on the way out. Once the handshake has reshaped the pipeline, writes and flushes made
 * on the event loop then go straight to the channel's transport instead of walking the pipeline
 * from its tail: a broadcast does that once per recipient. With TLS (or any other outbound
 * handler) they take the pipeline as usual.
 */
final class WebSocketTransport {
  private final Channel channel;
  /** Decided at the first write, which comes after the handshake's HTTP encoder has gone. */
  private Boolean direct;

  WebSocketTransport(Channel channel) {
    this.channel = channel;
  }

  private boolean direct() {
    Boolean known = direct;
    if (known == null) {
      known = direct = noOutboundHandler();
    }
    return known && channel.eventLoop().inEventLoop();
  }

  private boolean noOutboundHandler() {
    for (Map.Entry<String, ChannelHandler> entry : channel.pipeline()) {
      if (entry.getValue() instanceof ChannelOutboundHandler) {
        return false;
      }
    }
    return true;
  }

  private void send(ByteBuf frame) {
    if (direct()) {
      channel.unsafe().write(frame, channel.voidPromise());
    } else {
      channel.write(frame, channel.voidPromise());
    }
  }

  Channel channel() {
    return channel;
  }

  /** Queues one packet without flushing; takes ownership of {@code packet}. */
  void write(ByteBuf packet, boolean binary) {
    int opcode = binary ? WebSocketFrames.BINARY : WebSocketFrames.TEXT;
    int length = packet.readableBytes();
    if (WebSocketFrames.copies(length)) {
      send(WebSocketFrames.frame(channel.alloc(), opcode, packet));
    } else {
      send(WebSocketFrames.header(channel.alloc(), opcode, length));
      send(packet);
    }
  }

  /** Queues bytes that already form a whole WebSocket frame (see {@link WebSocketFrames}). */
  void writeFramed(ByteBuf frame) {
    send(frame);
  }

  /** Bytes written but not yet taken by the network. */
  long pendingBytes() {
    io.netty.channel.ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  void flush() {
    if (direct()) {
      channel.unsafe().flush();
    } else {
      channel.flush();
    }
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
