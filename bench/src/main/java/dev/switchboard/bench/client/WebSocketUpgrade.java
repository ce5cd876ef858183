package dev.switchboard.bench.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The opening handshake of a WebSocket client (RFC 6455 §4.1), over an {@link HttpClientCodec}
 * and an {@link HttpObjectAggregator} placed before it. Once the server answered 101 with the
 * expected {@code Sec-WebSocket-Accept}, all three leave the pipeline, so that the handler after
 * them reads raw frames. Bytes the codec had already read behind the 101 (a server may send its
 * first frame in the same segment) are handed on to that handler as the codec is removed.
 * A refused or overdue handshake is reported through {@code exceptionCaught}.
 */
final class WebSocketUpgrade extends ChannelInboundHandlerAdapter {
  private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final long TIMEOUT_SECONDS = 10;

  private final String host;
  private final String pathAndQuery;
  private final String key;
  private ScheduledFuture<?> timeout;

  /** System property: when "true" (LoadGen's --ws-compression), upgrades offer permessage-deflate without context takeover. */
  static final String OFFER_DEFLATE = "bench.offerDeflate";

  WebSocketUpgrade(String host, String pathAndQuery) {
    this.host = host;
    this.pathAndQuery = pathAndQuery;
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    this.key = Base64.getEncoder().encodeToString(nonce);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, pathAndQuery);
    request.headers()
        .set(HttpHeaderNames.HOST, host)
        .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
        .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, key)
        .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
    if (Boolean.getBoolean(OFFER_DEFLATE)) {
      request.headers().set(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS,
          "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    }
    ctx.writeAndFlush(request, ctx.voidPromise());
    timeout = ctx.executor().schedule(
        () -> ctx.fireExceptionCaught(new WebSocketHandshakeException("WebSocket handshake timed out")),
        TIMEOUT_SECONDS, TimeUnit.SECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpResponse response)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    try {
      if (!accepted(response)) {
        ctx.fireExceptionCaught(new WebSocketHandshakeException("WebSocket upgrade refused: " + response.status()));
        return;
      }
      timeout.cancel(false);
      ChannelPipeline pipeline = ctx.pipeline();
      pipeline.remove(HttpObjectAggregator.class);
      pipeline.remove(this);
      // Last: ByteToMessageDecoder hands its leftover bytes to the next handler when removed.
      pipeline.remove(HttpClientCodec.class);
    } finally {
      response.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timeout != null) {
      timeout.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  private boolean accepted(FullHttpResponse response) {
    return response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)
        && response.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
        && expectedAccept(key).equals(response.headers().get(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT));
  }

  /** {@code Sec-WebSocket-Accept}: base64 of the SHA-1 of the key and the protocol's GUID. */
  static String expectedAccept(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
