package dev.switchboard.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes HTTP connections that hold a file descriptor without using it: one whose request head
 * is not complete within the header timeout of its first byte (or of the connection's opening),
 * one whose request body stops arriving for the idle timeout, and a keep-alive connection that
 * waits for its next request longer than the idle timeout. A request being served (a long poll
 * waiting for packets) is never timed out here. Connections that become WebSockets or SSE streams
 * leave these timeouts ({@link #stop}): their own heartbeats decide when they are dead.
 *
 * <p>Two handlers share one state: {@link #BYTES} before the HTTP codec sees that bytes arrive,
 * {@link #MESSAGES} after it sees where requests and responses begin and end. Everything runs on
 * the connection's event loop; one timer per connection, re-armed only when it fires early or a
 * nearer deadline appears.
 */
public final class RequestTimeouts {
  public static final String BYTES = "http-timeouts-bytes";
  public static final String MESSAGES = "http-timeouts-messages";

  private static final long NONE = Long.MAX_VALUE;

  private final long headerNanos;
  private final long idleNanos;
  private ChannelHandlerContext ctx;
  /** Requests whose head arrived and whose response has not ended. */
  private int serving;
  /** When the head being read began (its first byte, or the connection's opening); -1 if none is. */
  private long headStarted;
  private boolean inBody;
  private long lastRead;
  private long idleSince;
  private ScheduledFuture<?> timer;
  private long timerDeadline = NONE;
  private boolean stopped;

  private RequestTimeouts(Duration headerTimeout, Duration idleTimeout) {
    this.headerNanos = headerTimeout.toNanos();
    this.idleNanos = idleTimeout.toNanos();
  }

  /** Adds both handlers around the HTTP codec named {@code codec}, which must be in the pipeline. */
  public static void install(ChannelPipeline pipeline, String codec, Duration headerTimeout, Duration idleTimeout) {
    RequestTimeouts timeouts = new RequestTimeouts(headerTimeout, idleTimeout);
    pipeline.addBefore(codec, BYTES, timeouts.new Bytes());
    pipeline.addAfter(codec, MESSAGES, timeouts.new Messages());
  }

  /**
   * Takes the timeouts off a connection that now carries a long-lived stream (WebSocket, SSE).
   * Call on the connection's event loop; does nothing when they are not installed.
   */
  public static void stop(ChannelPipeline pipeline) {
    if (pipeline.get(MESSAGES) instanceof Messages messages) {
      messages.timeouts().cancel();
      pipeline.remove(MESSAGES);
    }
    if (pipeline.get(BYTES) != null) {
      pipeline.remove(BYTES);
    }
  }

  private void opened(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    long now = System.nanoTime();
    headStarted = now;
    lastRead = now;
    idleSince = now;
    rearm(now);
  }

  private void bytesRead(long now) {
    lastRead = now;
    if (!inBody && headStarted < 0) {
      headStarted = now;
      rearm(now);
    }
  }

  private void headRead(HttpRequest request) {
    serving++;
    headStarted = -1;
    inBody = !(request instanceof LastHttpContent);
  }

  private void bodyEnded() {
    inBody = false;
  }

  private void responseEnded() {
    if (serving > 0) {
      serving--;
    }
    long now = System.nanoTime();
    idleSince = now;
    if (headStarted >= 0) {
      // Bytes of a next request came while this one was served: its head is timed from now.
      headStarted = now;
    }
    rearm(now);
  }

  /** The time past which the connection is closed, or {@link #NONE}. */
  private long deadline() {
    if (inBody) {
      return lastRead + idleNanos;
    }
    if (serving > 0) {
      return NONE;
    }
    return headStarted >= 0 ? headStarted + headerNanos : idleSince + idleNanos;
  }

  private void rearm(long now) {
    long deadline = deadline();
    if (stopped || ctx == null || deadline == NONE || deadline >= timerDeadline) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timerDeadline = deadline;
    timer = ctx.executor().schedule(this::fire, Math.max(0, deadline - now), TimeUnit.NANOSECONDS);
  }

  private void fire() {
    timer = null;
    timerDeadline = NONE;
    if (stopped || !ctx.channel().isActive()) {
      return;
    }
    long now = System.nanoTime();
    long deadline = deadline();
    if (deadline != NONE && deadline - now <= 0) {
      stopped = true;
      ctx.close();
      return;
    }
    rearm(now);
  }

  private void cancel() {
    stopped = true;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** Before the codec: notes that bytes arrived. */
  private final class Bytes extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      opened(ctx);
      ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      if (ctx.channel().isActive()) {
        opened(ctx);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
        bytesRead(System.nanoTime());
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancel();
      ctx.fireChannelInactive();
    }
  }

  /** After the codec: notes where requests and responses begin and end. */
  private final class Messages extends ChannelDuplexHandler {
    RequestTimeouts timeouts() {
      return RequestTimeouts.this;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof HttpRequest request) {
        headRead(request);
      }
      if (msg instanceof LastHttpContent) {
        bodyEnded();
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      boolean informational = msg instanceof HttpResponse response
          && response.status().codeClass() == HttpStatusClass.INFORMATIONAL;
      boolean ends = msg instanceof LastHttpContent && !informational;
      ctx.write(msg, promise);
      if (ends) {
        responseEnded();
      }
    }
  }
}
