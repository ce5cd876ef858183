package dev.switchboard.bench.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.CompletableFuture;

/**
 * One EventSource-style client: {@code GET} with {@code Accept: text/event-stream}, open once the
 * answer is 200, then every event of the body goes through an {@link SseReader} to the listener.
 * No reconnection.
 */
public final class SseConnection extends ChannelInboundHandlerAdapter {
  private final String pathAndQuery;
  private final String host;
  private final SseListener listener;
  private final SseReader reader;
  private final CompletableFuture<SseConnection> connected = new CompletableFuture<>();
  private volatile Channel channel;
  private volatile boolean open;

  SseConnection(String pathAndQuery, String host, SseListener listener) {
    this.pathAndQuery = pathAndQuery;
    this.host = host;
    this.listener = listener;
    this.reader = new SseReader((type, data, lastId) -> listener.onEvent(this, type, data));
  }

  /** Completes once the server answered 200. */
  public CompletableFuture<SseConnection> connected() {
    return connected;
  }

  public boolean isOpen() {
    return open;
  }

  public void close() {
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery);
    request.headers()
        .set(HttpHeaderNames.HOST, host)
        .set(HttpHeaderNames.ACCEPT, "text/event-stream")
        .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
    ctx.writeAndFlush(request, ctx.voidPromise());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpResponse response) {
        if (!response.status().equals(HttpResponseStatus.OK)) {
          connected.completeExceptionally(new IllegalStateException("stream refused: " + response.status()));
          ctx.close();
          return;
        }
        open = true;
        connected.complete(this);
      }
      if (msg instanceof HttpContent content && open) {
        reader.read(content.content());
        if (msg instanceof LastHttpContent) {
          ctx.close();
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    boolean wasOpen = open;
    open = false;
    connected.completeExceptionally(new IllegalStateException("closed before the stream opened"));
    if (wasOpen) {
      listener.onClose(this);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connected.completeExceptionally(cause);
    ctx.close();
  }
}
