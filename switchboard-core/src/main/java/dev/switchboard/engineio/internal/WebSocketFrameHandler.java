package dev.switchboard.engineio.internal;

import dev.switchboard.http.internal.EventLoops;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the frames of one WebSocket into Engine.IO packets for its session: joins fragmented
 * messages (up to the size limit and {@link #MAX_FRAMES_PER_MESSAGE} frames), answers pings and
 * closes. A text message that is not UTF-8 closes the connection with 1007, as RFC 6455 asks. With
 * permessage-deflate agreed, a message whose first frame has RSV1 set is inflated once whole, to
 * at most the size limit: a message inflating to more (a decompression bomb) closes the connection
 * with 1009, one that does not inflate with 1007; RSV1 on a continuation or control frame, and
 * RSV2/RSV3 anywhere, close it with 1002. It
 * is the only handler after the frame decoder; frames going out are already bytes (see
 * {@link WebSocketFrames}).
 */
final class WebSocketFrameHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
  private static final Logger log = LoggerFactory.getLogger(WebSocketFrameHandler.class);
  /**
   * Most frames one message may come in (its first frame and continuations); past it the
   * connection is closed with 1009. Clients split large messages into a few large frames, never
   * thousands; empty continuations would otherwise cost work without adding bytes.
   */
  static final int MAX_FRAMES_PER_MESSAGE = 1024;

  private final RealEngineSession session;
  private final WebSocketTransport transport;
  private final int maxMessageBytes;
  /** The agreed permessage-deflate terms; null without compression. */
  private final PerMessageDeflate deflate;
  /** This connection's Inflater when the client keeps its context; null otherwise. */
  private final Inflater ownInflater;
  private boolean fragmentsCompressed;
  /** The fragments of a message still arriving; null between messages (nearly always). */
  private CompositeByteBuf fragments;
  private int fragmentCount;
  private boolean fragmentsBinary;
  private boolean failed;

  WebSocketFrameHandler(RealEngineSession session, WebSocketTransport transport, int maxMessageBytes) {
    this.session = session;
    this.transport = transport;
    this.maxMessageBytes = maxMessageBytes;
    this.deflate = transport.deflate().orElse(null);
    this.ownInflater = deflate != null && !deflate.clientNoContextTakeover() ? new Inflater(true) : null;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (failed) {
      return; // closing: frames read in the same batch are dropped
    }
    int rsv = frame.rsv();
    if (rsv != 0 && !rsvAllowed(frame, rsv)) {
      failed = true;
      log.debug("session {}: a frame with reserved bits {} set", session.id(), rsv);
      closeWith(ctx, WebSocketCloseStatus.PROTOCOL_ERROR);
      return;
    }
    boolean compressed = rsv != 0;
    switch (frame) {
      case TextWebSocketFrame text when text.isFinalFragment() && compressed -> dispatchCompressed(ctx, text.content(), false);
      case BinaryWebSocketFrame binary when binary.isFinalFragment() && compressed -> dispatchCompressed(ctx, binary.content(), true);
      case TextWebSocketFrame text when text.isFinalFragment() -> dispatchText(ctx, text.content());
      case BinaryWebSocketFrame binary when binary.isFinalFragment() -> dispatchBinary(binary.content());
      case TextWebSocketFrame text -> startFragments(ctx, text.content(), false, compressed);
      case BinaryWebSocketFrame binary -> startFragments(ctx, binary.content(), true, compressed);
      case ContinuationWebSocketFrame part -> continueFragments(ctx, part);
      case PingWebSocketFrame ping ->
          ctx.writeAndFlush(WebSocketFrames.frame(ctx.alloc(), WebSocketFrames.PONG, ping.content().retain()));
      case CloseWebSocketFrame close -> ctx.writeAndFlush(WebSocketFrames.frame(ctx.alloc(), WebSocketFrames.CLOSE,
          close.content().retain())).addListener(ChannelFutureListener.CLOSE);
      default -> { }
    }
  }

  /** Only RSV1, only with permessage-deflate agreed, only on a message's first frame (RFC 7692 section 6). */
  private boolean rsvAllowed(WebSocketFrame frame, int rsv) {
    return deflate != null && rsv == 0x4 && (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame);
  }

  private void startFragments(ChannelHandlerContext ctx, ByteBuf first, boolean binary, boolean compressed) {
    releaseFragments();
    fragments = ctx.alloc().compositeBuffer();
    fragmentCount = 0;
    fragmentsBinary = binary;
    fragmentsCompressed = compressed;
    append(ctx, first);
  }

  private void continueFragments(ChannelHandlerContext ctx, ContinuationWebSocketFrame part) {
    if (fragments == null) {
      return; // the decoder refuses a continuation outside a message before it gets here
    }
    if (!append(ctx, part.content()) || !part.isFinalFragment()) {
      return;
    }
    CompositeByteBuf message = fragments;
    fragments = null;
    try {
      if (fragmentsCompressed) {
        dispatchCompressed(ctx, message, fragmentsBinary);
      } else if (fragmentsBinary) {
        dispatchBinary(message);
      } else {
        dispatchText(ctx, message);
      }
    } finally {
      message.release();
    }
  }

  /** Adds a fragment; a message over the limit closes the connection (1009) and returns false. */
  private boolean append(ChannelHandlerContext ctx, ByteBuf part) {
    if (fragments.readableBytes() + (long) part.readableBytes() > maxMessageBytes
        || ++fragmentCount > MAX_FRAMES_PER_MESSAGE) {
      releaseFragments();
      failed = true;
      log.debug("session {}: a fragmented message over {} bytes or {} frames", session.id(), maxMessageBytes,
          MAX_FRAMES_PER_MESSAGE);
      closeWith(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG);
      return false;
    }
    fragments.addComponent(true, part.retain());
    return true;
  }

  /** Inflates a whole compressed message, to at most the size limit, and hands it on. */
  private void dispatchCompressed(ChannelHandlerContext ctx, ByteBuf content, boolean binary) {
    byte[] inflated;
    try {
      inflated = ownInflater != null
          ? DeflatedMessages.inflate(content, ownInflater, maxMessageBytes, false)
          : DeflatedMessages.inflate(content, DeflatedMessages.sharedInflater(), maxMessageBytes, true);
    } catch (DeflatedMessages.TooBig e) {
      failed = true;
      log.debug("session {}: {}", session.id(), e.getMessage());
      closeWith(ctx, WebSocketCloseStatus.MESSAGE_TOO_BIG);
      return;
    } catch (DataFormatException e) {
      failed = true;
      log.debug("session {}: a compressed message that does not inflate: {}", session.id(), e.getMessage());
      closeWith(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA);
      return;
    }
    if (binary) {
      dispatch(new EnginePacket.BinaryMessage(inflated));
    } else {
      dispatchText(ctx, Unpooled.wrappedBuffer(inflated));
    }
  }

  private void dispatchText(ChannelHandlerContext ctx, ByteBuf content) {
    if (!Utf8Text.isValid(content)) {
      failed = true;
      log.debug("session {}: a text message that is not UTF-8", session.id());
      closeWith(ctx, WebSocketCloseStatus.INVALID_PAYLOAD_DATA);
      return;
    }
    EnginePacket packet;
    try {
      packet = EngineCodec.decodeText(content.toString(StandardCharsets.UTF_8));
    } catch (EngineProtocolException e) {
      run(() -> session.onInvalidPacket(e.getMessage()));
      return;
    }
    dispatch(packet);
  }

  private void dispatchBinary(ByteBuf content) {
    byte[] bytes = new byte[content.readableBytes()];
    content.getBytes(content.readerIndex(), bytes);
    dispatch(new EnginePacket.BinaryMessage(bytes));
  }

  private void dispatch(EnginePacket packet) {
    run(() -> session.onWebSocketPacket(transport, packet));
  }

  private void run(Runnable task) {
    EventLoops.runOnWhileUp(session.executor(), task);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseFragments();
    boolean error = failed;
    run(() -> session.onWebSocketClosed(transport, error));
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseFragments();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    failed = true;
    if (cause instanceof CorruptedWebSocketFrameException corrupted) {
      // A frame that breaks RFC 6455 or is over maxHttpBufferSize: say why in the close frame.
      log.debug("session {}: {}", session.id(), cause.getMessage());
      WebSocketCloseStatus status = corrupted.closeStatus();
      closeWith(ctx, status == null ? WebSocketCloseStatus.PROTOCOL_ERROR : status);
      return;
    }
    if (cause instanceof IOException) {
      log.debug("session {}: connection error: {}", session.id(), cause.toString());
    } else {
      log.warn("session {}: unexpected error", session.id(), cause);
    }
    ctx.close();
  }

  private static void closeWith(ChannelHandlerContext ctx, WebSocketCloseStatus status) {
    if (ctx.channel().isActive()) {
      ctx.writeAndFlush(WebSocketFrames.close(ctx.alloc(), status)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }

  private void releaseFragments() {
    if (fragments != null) {
      fragments.release();
      fragments = null;
    }
  }
}
