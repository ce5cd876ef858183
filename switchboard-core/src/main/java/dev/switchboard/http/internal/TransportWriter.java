package dev.switchboard.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelOutboundHandler;
import java.util.Map;

/**
 * Writes finished bytes to a channel without a promise. When no handler of the pipeline has
 * anything to do with outgoing traffic, writes and flushes made on the event loop go straight to
 * the channel's transport instead of walking the pipeline from its tail: a broadcast does that
 * once per recipient. With TLS (or any other outbound handler) they take the pipeline as usual.
 */
public final class TransportWriter {
  private final Channel channel;
  private final Traffic traffic;
  /** Decided at the first write, which comes once the connection's HTTP encoder has gone. */
  private Boolean direct;

  public TransportWriter(Channel channel) {
    this.channel = channel;
    this.traffic = Traffic.of(channel);
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

  /** Queues {@code bytes} without flushing; takes ownership of them. */
  public void write(ByteBuf bytes) {
    traffic.sent(bytes.readableBytes());
    if (direct()) {
      channel.unsafe().write(bytes, channel.voidPromise());
    } else {
      channel.write(bytes, channel.voidPromise());
    }
  }

  public void flush() {
    if (direct()) {
      channel.unsafe().flush();
    } else {
      channel.flush();
    }
  }

  /** Bytes written but not yet taken by the network (Netty counts a small overhead per write). */
  public long pendingBytes() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }
}
