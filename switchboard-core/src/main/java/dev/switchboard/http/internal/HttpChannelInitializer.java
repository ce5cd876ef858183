package dev.switchboard.http.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

/** The pipeline every connection starts with; the WebSocket handshake reshapes it later. */
public final class HttpChannelInitializer extends ChannelInitializer<SocketChannel> {
  public static final String CODEC = "http-codec";
  public static final String AGGREGATOR = "http-aggregator";
  public static final String ROUTER = "http-router";

  private final Router router;
  private final int maxContentLength;

  public HttpChannelInitializer(Router router, int maxContentLength) {
    this.router = router;
    this.maxContentLength = maxContentLength;
  }

  @Override
  protected void initChannel(SocketChannel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    pipeline.addLast(CODEC, new HttpServerCodec(4096, 16 * 1024, 8192));
    pipeline.addLast(AGGREGATOR, new HttpObjectAggregator(maxContentLength));
    pipeline.addLast(ROUTER, new RouterHandler(router));
  }
}
