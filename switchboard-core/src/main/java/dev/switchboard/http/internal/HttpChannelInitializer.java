package dev.switchboard.http.internal;

import dev.switchboard.http.HttpRoute;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Duration;

/** The pipeline every connection starts with; the WebSocket handshake reshapes it later. */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {
  public static final String CODEC = "http-codec";
  public static final String AGGREGATOR = "http-aggregator";
  public static final String ROUTER = "http-router";
  public static final String TRAFFIC = "traffic";

  private final Router router;
  private final int maxContentLength;
  private final ConnectionCaps caps;
  private final Duration headerTimeout;
  private final Duration idleTimeout;
  private final Traffic traffic;

  public HttpChannelInitializer(Router router, int maxContentLength, ConnectionCaps caps, Duration headerTimeout,
      Duration idleTimeout, Traffic traffic) {
    this.router = router;
    this.maxContentLength = maxContentLength;
    this.caps = caps;
    this.headerTimeout = headerTimeout;
    this.idleTimeout = idleTimeout;
    this.traffic = traffic;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    if (!caps.admit(channel)) {
      return;
    }
    ChannelPipeline pipeline = channel.pipeline();
    traffic.attach(channel);
    pipeline.addLast(TRAFFIC, traffic.reads());
    pipeline.addLast(CODEC, new HttpServerCodec(4096, 16 * 1024, 8192));
    RequestTimeouts.install(pipeline, CODEC, headerTimeout, idleTimeout);
    pipeline.addLast(AGGREGATOR, new HttpObjectAggregator(maxContentLength) {
      @Override
      protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (oversized instanceof HttpRequest request) {
          HttpRoute route = router.find(new QueryStringDecoder(request.uri()).path());
          if (route != null) {
            route.onOversizedRequest(request);
          }
        }
        super.handleOversizedMessage(ctx, oversized);
      }
    });
    pipeline.addLast(ROUTER, new RouterHandler(router));
  }
}
