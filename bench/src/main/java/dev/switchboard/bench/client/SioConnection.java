package dev.switchboard.bench.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One raw Socket.IO client over a WebSocket: answers the Engine.IO open with {@code 40}, is
 * connected once {@code 40{"sid":...}} arrives, answers pings {@code 2} with {@code 3}, and hands
 * events and acks to its {@link SioListener}. No reconnection, no buffering, no polling.
 */
public final class SioConnection extends SimpleChannelInboundHandler<TextWebSocketFrame> {
  private final int node;
  private final SioListener listener;
  private final CompletableFuture<SioConnection> connected = new CompletableFuture<>();
  private final AtomicLong nextAckId = new AtomicLong();
  private volatile Channel channel;
  private volatile boolean open;
  /** Pings answered; written only on the event loop. */
  private volatile int pings;

  SioConnection(int node, SioListener listener) {
    this.node = node;
    this.listener = listener;
  }

  /** The index of the server node this connection went to. */
  public int node() {
    return node;
  }

  /** How many Engine.IO pings this connection has answered so far. */
  public int pings() {
    return pings;
  }

  /** Completes once the main namespace answered {@code 40{"sid":...}}. */
  public CompletableFuture<SioConnection> connected() {
    return connected;
  }

  public boolean isOpen() {
    return open;
  }

  /** Sends {@code 42[name, values...]}; any thread. */
  public void emit(String name, String... jsonValues) {
    send(SioFrames.event(-1, SioFrames.array(name, jsonValues)));
  }

  /** Sends {@code 42<id>[name, values...]} and returns the ack id; any thread. */
  public long emitWithAck(String name, String... jsonValues) {
    long id = nextAckId.getAndIncrement();
    send(SioFrames.event(id, SioFrames.array(name, jsonValues)));
    return id;
  }

  /** Sends one Engine.IO text packet; any thread. */
  public void send(String packet) {
    Channel ch = channel;
    if (ch != null) {
      ch.writeAndFlush(new TextWebSocketFrame(packet), ch.voidPromise());
    }
  }

  public void close() {
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.channelActive(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
      connected.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
      ctx.close();
    }
    super.userEventTriggered(ctx, event);
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
    String text = frame.text();
    if (text.isEmpty()) {
      return;
    }
    switch (text.charAt(0)) {
      case '0' -> send("40");
      case '2' -> {
        pings++;
        send("3" + text.substring(1));
      }
      case '1' -> ctx.close();
      case '4' -> onMessage(ctx, text);
      default -> { }
    }
  }

  private void onMessage(ChannelHandlerContext ctx, String text) {
    if (text.length() < 2) {
      return;
    }
    switch (text.charAt(1)) {
      case '2' -> listener.onEvent(this, text);
      case '3' -> listener.onAck(this, SioFrames.ackId(text), text);
      case '0' -> {
        open = true;
        connected.complete(this);
      }
      case '4' -> {
        connected.completeExceptionally(new IllegalStateException("connect refused: " + text));
        ctx.close();
      }
      default -> { }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    boolean wasOpen = open;
    open = false;
    connected.completeExceptionally(new IllegalStateException("closed before connecting"));
    if (wasOpen) {
      listener.onClose(this);
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    connected.completeExceptionally(cause);
    ctx.close();
  }
}
