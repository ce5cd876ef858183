package dev.switchboard.engineio.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes the frames of one WebSocket into Engine.IO packets for its session. */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);

  private final RealEngineSession session;
  private final WebSocketTransport transport;
  private boolean failed;

  WebSocketFrameHandler(RealEngineSession session, WebSocketTransport transport) {
    this.session = session;
    this.transport = transport;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    switch (frame) {
      case TextWebSocketFrame text -> dispatchText(text.text());
      case BinaryWebSocketFrame binary -> dispatch(new EnginePacket.BinaryMessage(bytes(binary.content())));
      case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case CloseWebSocketFrame close -> ctx.writeAndFlush(close.retainedDuplicate()).addListener(f -> ctx.close());
      default -> { }
    }
  }

  private void dispatchText(String text) {
    EnginePacket packet;
    try {
      packet = EngineCodec.decodeText(text);
    } catch (EngineProtocolException e) {
      run(() -> session.onInvalidPacket(e.getMessage()));
      return;
    }
    dispatch(packet);
  }

  private void dispatch(EnginePacket packet) {
    run(() -> session.onWebSocketPacket(transport, packet));
  }

  private void run(Runnable task) {
    if (session.executor().inEventLoop()) {
      task.run();
    } else if (!session.executor().isShuttingDown()) {
      session.executor().execute(task);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    boolean error = failed;
    run(() -> session.onWebSocketClosed(transport, error));
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failed = true;
    if (cause instanceof TooLongFrameException && ctx.channel().isActive()) {
      // A message over maxHttpBufferSize built from frames that were each small enough.
      log.debug("session {}: {}", session.id(), cause.getMessage());
      ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
      log.debug("session {}: {}", session.id(), cause.getMessage());
    } else if (cause instanceof IOException) {
      log.debug("session {}: connection error: {}", session.id(), cause.toString());
    } else {
      log.warn("session {}: unexpected error", session.id(), cause);
    }
    ctx.close();
  }

  private static byte[] bytes(ByteBuf content) {
    byte[] bytes = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), bytes);
    return bytes;
  }
}
