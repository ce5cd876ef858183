package dev.switchboard.server.churn;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * One Socket.IO client of the main namespace over a raw WebSocket, speaking Engine.IO v4 and
 * Socket.IO v5 text packets itself: light enough for a test to hold and churn thousands. It can
 * leave three ways: cleanly (the close packet), by TCP reset, or by going silent so that only the
 * server's ping timeout ends it.
 */
final class RawSocket extends SimpleChannelInboundHandler<TextWebSocketFrame> {
  private final CompletableFuture<RawSocket> connected = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final AtomicLong nextAckId = new AtomicLong();
  private final BiConsumer<RawSocket, String> events;
  private final BiConsumer<RawSocket, String> acks;
  private volatile Channel channel;
  private volatile boolean silent;

  /** {@code events} gets every {@code 42[...]} packet, {@code acks} every {@code 43<id>[...]} one, on the event loop. */
  RawSocket(BiConsumer<RawSocket, String> events, BiConsumer<RawSocket, String> acks) {
    this.events = events;
    this.acks = acks;
  }

  /** Completes once the server answered the namespace CONNECT. */
  CompletableFuture<RawSocket> connected() {
    return connected;
  }

  /** Completes once the TCP connection is gone, whoever ended it. */
  CompletableFuture<Void> closed() {
    return closed;
  }

  /** Sends {@code 42<id>[name,json]}; returns the ack id. */
  long emitWithAck(String name, String json) {
    long id = nextAckId.getAndIncrement();
    send("42" + id + "[\"" + name + "\"," + json + "]");
    return id;
  }

  void closeCleanly() {
    Channel ch = channel;
    ch.writeAndFlush(new TextWebSocketFrame("1")).addListener(f -> ch.close());
  }

  /** Ends with a TCP reset: SO_LINGER 0, no close packet, no FIN. */
  void reset() {
    Channel ch = channel;
    ch.eventLoop().execute(() -> {
      ch.config().setOption(ChannelOption.SO_LINGER, 0);
      ch.close();
    });
  }

  /** Stops answering pings, keeping the socket open: a vanished peer, as the server sees it. */
  void goSilent() {
    silent = true;
  }

  void close() {
    channel.close();
  }

  private void send(String packet) {
    channel.writeAndFlush(new TextWebSocketFrame(packet), channel.voidPromise());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.channelActive(ctx);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
    String packet = frame.text();
    if (packet.isEmpty()) {
      return;
    }
    switch (packet.charAt(0)) {
      case '0' -> send("40");
      case '2' -> {
        if (!silent) {
          send("3");
        }
      }
      case '4' -> {
        if (packet.startsWith("40")) {
          connected.complete(this);
        } else if (packet.startsWith("42")) {
          events.accept(this, packet);
        } else if (packet.startsWith("43")) {
          acks.accept(this, packet);
        } else if (packet.startsWith("44")) {
          connected.completeExceptionally(new IllegalStateException("refused: " + packet));
        }
      }
      default -> { }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    connected.completeExceptionally(new IllegalStateException("closed before connecting"));
    closed.complete(null);
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connected.completeExceptionally(cause);
    ctx.close();
  }
}
