package dev.switchboard.sse.internal;

import dev.switchboard.engineio.internal.Cors;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseOptions;
import dev.switchboard.sse.SseStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SSE stream over one HTTP/1.x connection. Writes may come from any thread; every buffer
 * handed to Netty is owned by Netty from then on. The budget counts bytes from the moment they
 * are queued until the socket accepted them.
 */
public final class ChannelSseStream implements SseStream {
  private static final Logger log = LoggerFactory.getLogger(ChannelSseStream.class);

  private final Channel channel;
  private final SseOptions options;
  private final AtomicLong pending = new AtomicLong();
  /** Whether a flush is queued on the loop; loop-confined. */
  private boolean flushQueued;
  private final Runnable flush = this::flushQueuedWrites;
  private final AtomicBoolean ending = new AtomicBoolean();
  private final List<Runnable> listeners = new ArrayList<>();
  private boolean ended;
  private ScheduledFuture<?> heartbeat;

  private ChannelSseStream(Channel channel, SseOptions options) {
    this.channel = channel;
    this.options = options;
  }

  /** See {@link SseStream#open}. */
  public static ChannelSseStream open(HttpExchange exchange, SseOptions options) {
    Channel channel = exchange.channel();
    if (!channel.eventLoop().inEventLoop()) {
      throw new IllegalStateException("open an SSE stream while the route handles the request");
    }
    var response = SseResponses.head(exchange.request().protocolVersion(), Cors.headers(options.cors(), exchange));
    SseInboundGuard.install(channel.pipeline());
    ChannelSseStream stream = new ChannelSseStream(channel, options);
    channel.write(response);
    ByteBuf hint = channel.alloc().buffer(24);
    SseEncoder.retryHint(hint, options.retry());
    stream.write(hint);
    long every = options.heartbeat().toNanos();
    stream.heartbeat = channel.eventLoop().scheduleAtFixedRate(stream::beat, every, every, TimeUnit.NANOSECONDS);
    channel.closeFuture().addListener(f -> stream.ended());
    return stream;
  }

  @Override
  public boolean send(SseEvent event) {
    if (ending.get()) {
      return false;
    }
    return write(SseEncoder.encode(event, channel.alloc()));
  }

  @Override
  public boolean sendShared(ByteBuf encoded) {
    if (ending.get()) {
      return false;
    }
    return write(encoded.retainedDuplicate());
  }

  @Override
  public boolean comment(String text) {
    if (ending.get()) {
      return false;
    }
    ByteBuf out = channel.alloc().buffer(text.length() + 4);
    SseEncoder.comment(out, text);
    return write(out);
  }

  private void beat() {
    comment("heartbeat");
  }

  /** Hands {@code bytes} (owned by this call) to the channel, or cuts a stream over budget. */
  private boolean write(ByteBuf bytes) {
    int size = bytes.readableBytes();
    if (ending.get()) {
      bytes.release();
      return false;
    }
    if (pending.addAndGet(size) > options.maxPendingBytes()) {
      pending.addAndGet(-size);
      bytes.release();
      log.debug("SSE client {} reads too slowly ({} bytes waiting): closing", channel.remoteAddress(), pending.get());
      ending.set(true);
      channel.close();
      return false;
    }
    // A room fan-out writes every stream of a loop in one task: each stream's flush waits for the
    // end of that task, so what piled up for a stream meanwhile leaves in one write.
    boolean onLoop = channel.eventLoop().inEventLoop();
    DefaultHttpContent chunk = new DefaultHttpContent(bytes);
    (onLoop ? channel.write(chunk) : channel.writeAndFlush(chunk)).addListener(f -> pending.addAndGet(-size));
    if (onLoop && !flushQueued) {
      flushQueued = true;
      channel.eventLoop().execute(flush);
    }
    return true;
  }

  private void flushQueuedWrites() {
    flushQueued = false;
    channel.flush();
  }

  @Override
  public void close() {
    if (ending.compareAndSet(false, true)) {
      channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void onClose(Runnable listener) {
    synchronized (this) {
      if (!ended) {
        listeners.add(listener);
        return;
      }
    }
    try {
      channel.eventLoop().execute(() -> run(listener));
    } catch (RejectedExecutionException e) {
      run(listener);
    }
  }

  /** Runs once, on the event loop, when the connection has closed. */
  private void ended() {
    ending.set(true);
    heartbeat.cancel(false);
    List<Runnable> toRun;
    synchronized (this) {
      ended = true;
      toRun = List.copyOf(listeners);
      listeners.clear();
    }
    toRun.forEach(ChannelSseStream::run);
  }

  private static void run(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException e) {
      log.warn("SSE close listener failed", e);
    }
  }

  @Override
  public boolean isOpen() {
    return !ending.get() && channel.isActive();
  }

  @Override
  public long pendingBytes() {
    return pending.get();
  }

  @Override
  public EventExecutor executor() {
    return channel.eventLoop();
  }

  @Override
  public ByteBufAllocator alloc() {
    return channel.alloc();
  }
}
