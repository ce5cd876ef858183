package dev.switchboard.engineio.internal;

import dev.switchboard.http.internal.Cors;
import dev.switchboard.http.CorsOptions;
import dev.switchboard.http.HttpExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponseStatus;

/** A polling request received on this node: answered on its own connection, with CORS headers. */
final class LocalPoll implements PollExchange {
  private final HttpExchange exchange;
  private final CorsOptions cors;
  private final long arrivedAt;
  private ChannelFutureListener closeListener;

  LocalPoll(HttpExchange exchange, CorsOptions cors, long arrivedAt) {
    this.exchange = exchange;
    this.cors = cors;
    this.arrivedAt = arrivedAt;
  }

  @Override
  public long arrivedAt() {
    return arrivedAt;
  }

  @Override
  public ByteBufAllocator alloc() {
    return exchange.channel().alloc();
  }

  @Override
  public void respond(HttpResponseStatus status, CharSequence contentType, ByteBuf body) {
    exchange.respond(status, contentType, body, Cors.headers(cors, exchange));
  }

  @Override
  public void respondError(EngineError error) {
    EngineIoHandler.respondError(exchange, error, cors);
  }

  @Override
  public void watchClient(Runnable onGone) {
    if (closeListener != null) {
      exchange.channel().closeFuture().removeListener(closeListener);
      closeListener = null;
    }
    if (onGone != null) {
      closeListener = f -> onGone.run();
      exchange.channel().closeFuture().addListener(closeListener);
    }
  }
}
