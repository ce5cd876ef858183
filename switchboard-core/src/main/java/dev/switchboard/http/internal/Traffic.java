package dev.switchboard.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the connections of one HTTP server carried: bytes read from the network, bytes of
 * responses, frames and stream chunks written to it, and connections cut as slow consumers. Every
 * connection of the server carries its {@code Traffic} as a channel attribute, so code holding a
 * channel counts without being handed anything.
 */
public final class Traffic {
  private static final AttributeKey<Traffic> KEY = AttributeKey.valueOf(Traffic.class, "traffic");
  /** Counts for channels that no {@code HttpServer} made (embedded channels of tests); never read. */
  private static final Traffic DETACHED = new Traffic();

  private final LoopCounter received = new LoopCounter();
  private final LoopCounter sent = new LoopCounter();
  private final LongAdder slowConsumers = new LongAdder();
  private final ChannelHandler reads = new Reads(received);

  /** The traffic of the server that accepted {@code channel}. */
  public static Traffic of(Channel channel) {
    Traffic traffic = channel.attr(KEY).get();
    return traffic == null ? DETACHED : traffic;
  }

  /** Makes {@code channel} count here; its pipeline gets {@link #reads()} first. */
  void attach(Channel channel) {
    channel.attr(KEY).set(this);
  }

  /** The handler counting what a connection reads, first in every pipeline. */
  ChannelHandler reads() {
    return reads;
  }

  /** Counts {@code bytes} written to a connection. */
  public void sent(long bytes) {
    sent.add(bytes);
  }

  /** Counts a connection closed because its client read too slowly. */
  public void slowConsumerCut() {
    slowConsumers.increment();
  }

  public long bytesReceived() {
    return received.sum();
  }

  public long bytesSent() {
    return sent.sum();
  }

  public long slowConsumerCuts() {
    return slowConsumers.sum();
  }

  /** Registers this traffic's meters. */
  public void bind(Meters meters) {
    meters.counter("switchboard.network.received", "bytes", "Bytes read from client connections (HTTP requests, WebSocket frames).",
        this, Traffic::bytesReceived);
    meters.counter("switchboard.network.sent", "bytes",
        "Bytes written to client connections: response bodies, WebSocket frames and SSE chunks (HTTP headers not counted).",
        this, Traffic::bytesSent);
    meters.counter("switchboard.slow.consumers", "",
        "Connections (Engine.IO and SSE) closed because more bytes waited for their client than allowed.",
        this, Traffic::slowConsumerCuts);
  }

  @ChannelHandler.Sharable
  private static final class Reads extends ChannelInboundHandlerAdapter {
    private final LoopCounter received;

    Reads(LoopCounter received) {
      this.received = received;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf bytes) {
        received.add(bytes.readableBytes());
      }
      ctx.fireChannelRead(msg);
    }
  }
}
