package dev.switchboard.http.internal;

import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.HttpRoute;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands each complete request to its route; answers 404 and 400 itself. */
final class RouterHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(RouterHandler.class);

  private final Router router;

  RouterHandler(Router router) {
    this.router = router;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    HttpExchange exchange = new HttpExchange(ctx, request);
    DecoderResult result = request.decoderResult();
    if (result.isFailure()) {
      exchange.respondJson(HttpResponseStatus.BAD_REQUEST,
          "{\"code\":\"BAD_REQUEST\",\"message\":\"malformed HTTP request\"}");
      return;
    }
    try {
      // Decoded once here (then cached): a bad escape such as %zz is the client's error.
      exchange.path();
      exchange.queryParams();
    } catch (IllegalArgumentException e) {
      exchange.respondJson(HttpResponseStatus.BAD_REQUEST,
          "{\"code\":\"BAD_REQUEST\",\"message\":\"malformed request URI\"}");
      return;
    }
    HttpRoute route = router.find(exchange.path());
    if (route == null) {
      exchange.respondJson(HttpResponseStatus.NOT_FOUND,
          "{\"code\":\"NOT_FOUND\",\"message\":\"no such endpoint\"}");
      return;
    }
    route.handle(exchange);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      log.debug("connection error on {}: {}", ctx.channel().remoteAddress(), cause.toString());
    } else {
      log.warn("unexpected error on {}", ctx.channel().remoteAddress(), cause);
    }
    ctx.close();
  }
}
