package dev.switchboard.redis;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When each Redis server last sent this node anything, read on the client's own channels. It tells
 * a hung Redis from a slow answer: a server that sends nothing while a ping waits is hung; one that
 * goes on sending is only behind, or this node is (a saturated or paused JVM reads late).
 */
final class ReadProgress {
  private static final AttributeKey<AtomicLong> LAST_READ = AttributeKey.valueOf("switchboard.redis.lastRead");

  /** The last read ({@link System#nanoTime}) from each server, by {@link #key}. */
  private final Map<String, AtomicLong> lastRead = new ConcurrentHashMap<>();
  /** The last read from any server. */
  private final AtomicLong lastAnyRead = new AtomicLong(System.nanoTime());
  private final ChannelHandler reads = new Reads();

  /** Puts the reads' clock first on every channel the client opens. */
  NettyCustomizer customizer() {
    return new NettyCustomizer() {
      @Override
      public void afterChannelInitialized(Channel channel) {
        channel.pipeline().addFirst("switchboard-read-progress", reads);
      }
    };
  }

  /** Whether any server sent anything after {@code since} ({@link System#nanoTime}). */
  boolean anyReadSince(long since) {
    return lastAnyRead.get() - since > 0;
  }

  /** Whether the server at {@code address} (resolved) sent anything after {@code since} ({@link System#nanoTime}). */
  boolean readSince(InetSocketAddress address, long since) {
    AtomicLong last = lastRead.get(key(address));
    return last != null && last.get() - since > 0;
  }

  /** A server's address as its channels see it: the resolved address and the port. */
  private static String key(SocketAddress address) {
    if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress() + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }

  @ChannelHandler.Sharable
  private final class Reads extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      ctx.channel().attr(LAST_READ).set(lastRead.computeIfAbsent(key(ctx.channel().remoteAddress()),
          address -> new AtomicLong(System.nanoTime())));
      super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      long now = System.nanoTime();
      lastAnyRead.lazySet(now);
      AtomicLong last = ctx.channel().attr(LAST_READ).get();
      if (last != null) {
        last.lazySet(now);
      }
      super.channelRead(ctx, msg);
    }
  }
}
