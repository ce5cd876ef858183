package dev.switchboard.http;

import dev.switchboard.http.internal.Traffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request and the means to answer it. The request body is readable only while the
 * route's {@link HttpRoute#handle} runs; the answer may be written later, from any thread.
 */
public final class HttpExchange {
  private final ChannelHandlerContext ctx;
  private final FullHttpRequest request;
  private final QueryStringDecoder query;
  private final boolean keepAlive;

  public HttpExchange(ChannelHandlerContext ctx, FullHttpRequest request) {
    this.ctx = ctx;
    this.request = request;
    this.query = new QueryStringDecoder(request.uri());
    this.keepAlive = HttpUtil.isKeepAlive(request);
  }

  public HttpMethod method() {
    return request.method();
  }

  public String path() {
    return query.path();
  }

  public String uri() {
    return request.uri();
  }

  public HttpHeaders headers() {
    return request.headers();
  }

  public Optional<String> header(CharSequence name) {
    return Optional.ofNullable(request.headers().get(name));
  }

  /** The first value of a query parameter. */
  public Optional<String> queryParam(String name) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public Map<String, List<String>> queryParams() {
    return query.parameters();
  }

  public ByteBuf body() {
    return request.content();
  }

  public String bodyAsString() {
    return request.content().toString(StandardCharsets.UTF_8);
  }

  public byte[] bodyAsBytes() {
    ByteBuf content = request.content();
    byte[] bytes = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), bytes);
    return bytes;
  }

  public SocketAddress remoteAddress() {
    return ctx.channel().remoteAddress();
  }

  /** The client's IP address as text, or the empty string for non-IP transports. */
  public String remoteIp() {
    return remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : "";
  }

  public Channel channel() {
    return ctx.channel();
  }

  public ChannelHandlerContext context() {
    return ctx;
  }

  /** The request itself; valid only while the route's handler runs. */
  public FullHttpRequest request() {
    return request;
  }

  public boolean keepAlive() {
    return keepAlive;
  }

  /** Answers with a text body. */
  public ChannelFuture respond(HttpResponseStatus status, CharSequence contentType, String body) {
    return respond(status, contentType, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), EmptyHttpHeaders.INSTANCE);
  }

  /**
   * Answers with {@code body}, whose ownership passes to this call, and {@code extraHeaders}
   * ({@link EmptyHttpHeaders#INSTANCE} for none). The connection is kept open when the client
   * asked for keep-alive.
   */
  public ChannelFuture respond(HttpResponseStatus status, CharSequence contentType, ByteBuf body, HttpHeaders extraHeaders) {
    FullHttpResponse response = response(status, body, extraHeaders);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, Objects.requireNonNull(contentType, "contentType"));
    return send(response);
  }

  /** Answers without a body or content type (204 No Content, 304 Not Modified), with {@code extraHeaders}. */
  public ChannelFuture respondEmpty(HttpResponseStatus status, HttpHeaders extraHeaders) {
    return send(response(status, Unpooled.EMPTY_BUFFER, extraHeaders));
  }

  private static FullHttpResponse response(HttpResponseStatus status, ByteBuf body, HttpHeaders extraHeaders) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response.headers().add(Objects.requireNonNull(extraHeaders, "extraHeaders"));
    return response;
  }

  private ChannelFuture send(FullHttpResponse response) {
    HttpHeaders headers = response.headers();
    headers.setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    Traffic.of(ctx.channel()).sent(response.content().readableBytes());
    if (keepAlive) {
      if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
      return ctx.channel().writeAndFlush(response);
    }
    headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }

  /** Answers with a JSON body. */
  public ChannelFuture respondJson(HttpResponseStatus status, String json) {
    return respondJson(status, json, EmptyHttpHeaders.INSTANCE);
  }

  /** Answers with a JSON body and {@code extraHeaders}. */
  public ChannelFuture respondJson(HttpResponseStatus status, String json, HttpHeaders extraHeaders) {
    return respond(status, "application/json", Unpooled.copiedBuffer(json, StandardCharsets.UTF_8), extraHeaders);
  }
}
