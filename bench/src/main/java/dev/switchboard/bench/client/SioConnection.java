package dev.switchboard.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One raw Socket.IO client over a WebSocket: answers the Engine.IO open with {@code 40}, is
 * connected once {@code 40{"sid":...}} arrives, answers pings {@code 2} with {@code 3}, and hands
 * events and acks to its {@link SioListener}. No reconnection, no buffering, no polling.
 *
 * <p>Once {@link WebSocketUpgrade} is done this is the only handler of the channel: it reads raw
 * bytes with a {@link WebSocketReader} and writes frames made by {@link WebSocketWriter}, so a
 * received message costs one {@code String} and no frame objects or pipeline hops.
 */
public final class SioConnection extends ChannelInboundHandlerAdapter {
  private final int node;
  private final SioListener listener;
  private final CompletableFuture<SioConnection> connected = new CompletableFuture<>();
  private final AtomicLong nextAckId = new AtomicLong();
  private final WebSocketReader reader = new WebSocketReader(new Frames());
  private volatile Channel channel;
  private volatile boolean open;
  /** Set once the connection plays dead: pings go unanswered, so the server must time it out. */
  private volatile boolean silent;
  /** Pings answered; written only on the event loop. */
  private volatile int pings;
  /** This handler's context; used only on the event loop. */
  private ChannelHandlerContext ctx;

  /** Whether packets are {@code socket.io-msgpack-parser}'s ({@link MsgpackPackets}) rather than text. */
  private final boolean msgpack;

  SioConnection(int node, SioListener listener, boolean msgpack) {
    this.node = node;
    this.listener = listener;
    this.msgpack = msgpack;
  }

  /** The index of the server node this connection went to. */
  public int node() {
    return node;
  }

  /** What this connection reports to. */
  public SioListener listener() {
    return listener;
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

  /** Sends {@code 42[name, values...]} (its msgpack packet on a msgpack connection); any thread. */
  public void emit(String name, String... jsonValues) {
    sendEvent(-1, SioFrames.array(name, jsonValues));
  }

  /** Sends {@code 42<id>[name, values...]} (its msgpack packet on a msgpack connection) and returns the ack id; any thread. */
  public long emitWithAck(String name, String... jsonValues) {
    long id = nextAckId.getAndIncrement();
    sendEvent(id, SioFrames.array(name, jsonValues));
    return id;
  }

  private void sendEvent(long ackId, String jsonArray) {
    if (!msgpack) {
      send(SioFrames.event(ackId, jsonArray));
      return;
    }
    Channel ch = channel;
    if (ch != null) {
      ch.writeAndFlush(WebSocketWriter.binary(ch.alloc(), MsgpackPackets.event(ackId, jsonArray)), ch.voidPromise());
    }
  }

  /** Sends one Engine.IO text packet; any thread. */
  public void send(String packet) {
    Channel ch = channel;
    if (ch != null) {
      ch.writeAndFlush(WebSocketWriter.text(ch.alloc(), packet), ch.voidPromise());
    }
  }

  public void close() {
    Channel ch = channel;
    if (ch != null) {
      ch.close();
    }
  }

  /** Leaves as a client should: the Engine.IO close packet {@code 1}, then the TCP close. */
  public void closeCleanly() {
    Channel ch = channel;
    if (ch != null) {
      ch.writeAndFlush(WebSocketWriter.text(ch.alloc(), "1")).addListener(f -> ch.close());
    }
  }

  /** Ends the connection with a TCP reset (SO_LINGER 0): no close packet, no FIN. */
  public void reset() {
    Channel ch = channel;
    if (ch != null) {
      ch.eventLoop().execute(() -> {
        ch.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
        ch.close();
      });
    }
  }

  /**
   * Plays a vanished peer: the socket stays open but pings go unanswered, so only the server's ping
   * timeout ends it (seen here as the server closing the connection).
   */
  public void goSilent() {
    silent = true;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    channel = ctx.channel();
    super.channelActive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      try {
        reader.read(bytes);
      } finally {
        bytes.release();
      }
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  /** Writes from the event loop, straight to the transport: nothing else is left in the pipeline. */
  private void reply(String packet) {
    ctx.writeAndFlush(WebSocketWriter.text(ctx.alloc(), packet), ctx.voidPromise());
  }

  /** One Engine.IO packet. */
  private void onPacket(String text) {
    if (text.isEmpty()) {
      return;
    }
    switch (text.charAt(0)) {
      case '0' -> {
        if (msgpack) {
          ctx.writeAndFlush(WebSocketWriter.binary(ctx.alloc(), MsgpackPackets.connect()), ctx.voidPromise());
        } else {
          reply(listener.connectPacket());
        }
      }
      case '2' -> {
        if (silent) {
          return;
        }
        pings++;
        reply("3" + text.substring(1));
      }
      case '1' -> ctx.close();
      case '4' -> onMessage(text);
      default -> { }
    }
  }

  /**
   * A msgpack packet: what {@link #onMessage} does for a text one; an event or an ack reaches the
   * listener as the text of its payload's stamp ({@code {"t":...}}), all a scenario reads of it.
   */
  private void onMsgpack(ByteBuf buf, int index, int length) {
    switch (MsgpackPackets.type(buf, index, length)) {
      case MsgpackPackets.EVENT -> listener.onEvent(this, "{\"t\":" + MsgpackPackets.stamp(buf, index, length) + "}");
      case MsgpackPackets.ACK -> listener.onAck(this, MsgpackPackets.ackId(buf, index, length),
          "{\"t\":" + MsgpackPackets.stamp(buf, index, length) + "}");
      case MsgpackPackets.CONNECT -> {
        open = true;
        connected.complete(this);
      }
      case MsgpackPackets.CONNECT_ERROR -> {
        connected.completeExceptionally(new IllegalStateException("connect refused"));
        ctx.close();
      }
      default -> { }
    }
  }

  private void onMessage(String text) {
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
    reader.release();
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

  private final class Frames implements WebSocketReader.Frames {
    @Override
    public void onText(ByteBuf buf, int index, int length) {
      // The JDK's UTF-8 decoding takes an intrinsic all-ASCII fast path: as cheap as Latin-1.
      onPacket(buf.toString(index, length, StandardCharsets.UTF_8));
    }

    @Override
    public void onBinary(ByteBuf buf, int index, int length) {
      onMsgpack(buf, index, length);
    }

    @Override
    public void onPing(ByteBuf buf, int index, int length) {
      ctx.writeAndFlush(WebSocketWriter.pong(ctx.alloc(), buf, index, length), ctx.voidPromise());
    }

    @Override
    public void onClose() {
      ctx.close();
    }
  }
}
