package dev.switchboard.sse.internal;

import dev.switchboard.http.internal.HttpChannelInitializer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits in front of the router once a connection carries a stream: anything more the client sends
 * (a pipelined request) is dropped, so the connection is never reused, and errors close it.
 */
final class SseInboundGuard extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(SseInboundGuard.class);
  static final String NAME = "sse-guard";

  static void install(ChannelPipeline pipeline) {
    if (pipeline.get(NAME) != null) {
      return;
    }
    if (pipeline.get(HttpChannelInitializer.ROUTER) != null) {
      pipeline.addBefore(HttpChannelInitializer.ROUTER, NAME, new SseInboundGuard());
    } else {
      pipeline.addLast(NAME, new SseInboundGuard());
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("SSE connection error on {}: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
