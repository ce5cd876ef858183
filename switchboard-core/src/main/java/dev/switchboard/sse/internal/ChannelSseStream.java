package dev.switchboard.sse.internal;

import dev.switchboard.http.internal.Cors;
import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.internal.ChunkedCoding;
import dev.switchboard.http.internal.LoopFlusher;
import dev.switchboard.http.internal.SlowConsumerCut;
import dev.switchboard.http.internal.Traffic;
import dev.switchboard.http.internal.TransportWriter;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseOptions;
import dev.switchboard.sse.SseStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SSE stream over one HTTP/1.x connection. Once the response head is out, the body leaves as
 * finished bytes: over HTTP/1.1 each event is one chunk of the chunked coding, framed here (once
 * per broadcast when the event is shared), over HTTP/1.0 the bare events until the connection
 * closes. Writes may come from any thread and hop onto the event loop in order; there they go to
 * the channel without a promise, and what a loop task wrote is flushed once at its end by
 * {@link LoopFlusher}. The budget counts the bytes the channel has not yet handed to the network.
 */
public final class ChannelSseStream implements SseStream, LoopFlusher.Target {
  private static final Logger log = LoggerFactory.getLogger(ChannelSseStream.class);

  private final Channel channel;
  private final SseOptions options;
  /** Whether the body is chunk-coded (HTTP/1.1); else it is close-delimited (HTTP/1.0). */
  private final boolean chunked;
  private final TransportWriter out;
  /** Bytes other threads handed to the loop that it has not written yet. */
  private final AtomicLong inTransit = new AtomicLong();
  /** Set once no more events are taken: closing, cut as too slow, or the connection gone. */
  private final AtomicBoolean ending = new AtomicBoolean();
  /** Set once nothing more may be written: the body has ended or the connection is going. Loop-confined. */
  private boolean finished;
  /** Whether a flush is due at the end of the loop's task; loop-confined. */
  private boolean flushMarked;
  private final List<Runnable> listeners = new ArrayList<>();
  private boolean ended;
  private ScheduledFuture<?> heartbeat;

  private ChannelSseStream(Channel channel, SseOptions options, boolean chunked) {
    this.channel = channel;
    this.options = options;
    this.chunked = chunked;
    this.out = new TransportWriter(channel);
  }

  /** See {@link SseStream#open}. */
  public static ChannelSseStream open(HttpExchange exchange, SseOptions options) {
    Channel channel = exchange.channel();
    if (!channel.eventLoop().inEventLoop()) {
      throw new IllegalStateException("open an SSE stream while the route handles the request");
    }
    HttpResponse head = SseResponses.head(exchange.request().protocolVersion(), Cors.headers(options.cors(), exchange));
    SseInboundGuard.install(channel.pipeline());
    SseResponses.writeHead(channel, head);
    ChannelSseStream stream = new ChannelSseStream(channel, options, HttpUtil.isTransferEncodingChunked(head));
    ByteBuf hint = stream.newEvent(24);
    SseEncoder.retryHint(hint, options.retry());
    stream.sendEvent(hint);
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
    ByteBuf encoded = newEvent(event.data().length() + 32);
    try {
      SseEncoder.encode(event, encoded);
    } catch (RuntimeException e) {
      encoded.release();
      throw e;
    }
    return sendEvent(encoded);
  }

  @Override
  public boolean sendShared(ByteBuf encoded) {
    if (ending.get()) {
      return false;
    }
    if (!encoded.isReadable()) {
      return true;
    }
    return write(chunked ? ChunkedCoding.chunk(channel.alloc(), encoded) : encoded.retainedDuplicate());
  }

  /**
   * Sends an event shared with other streams, given both as its bytes and as one chunk of them
   * ({@link ChunkedCoding#chunk}), so that a broadcast is framed once for all its streams. Neither
   * buffer changes hands. Returns false as {@link #send} does.
   */
  public boolean sendShared(ByteBuf encoded, ByteBuf chunk) {
    if (ending.get()) {
      return false;
    }
    return write((chunked ? chunk : encoded).retainedDuplicate());
  }

  /** A buffer to encode one event into for {@link #sendEvent}, with room in front for its framing. */
  public ByteBuf newEvent(int capacity) {
    return ChunkedCoding.withSizeLineRoom(channel.alloc(), capacity);
  }

  /**
   * Sends the event encoded into {@code event}, a buffer from {@link #newEvent}, framing it in
   * place; takes ownership of it. Returns false as {@link #send} does.
   */
  public boolean sendEvent(ByteBuf event) {
    if (ending.get()) {
      event.release();
      return false;
    }
    if (!event.isReadable()) {
      event.release();
      return true;
    }
    return write(chunked ? ChunkedCoding.enclose(event) : event);
  }

  @Override
  public boolean comment(String text) {
    if (ending.get()) {
      return false;
    }
    ByteBuf encoded = newEvent(text.length() + 4);
    SseEncoder.comment(encoded, text);
    return sendEvent(encoded);
  }

  /** Sends a lone {@code retry:} hint: how long the client should wait before it reconnects. */
  public boolean retryHint(Duration retry) {
    if (ending.get()) {
      return false;
    }
    ByteBuf encoded = newEvent(24);
    SseEncoder.retryHint(encoded, retry);
    return sendEvent(encoded);
  }

  private void beat() {
    comment("heartbeat");
  }

  /** Hands {@code bytes}, framed for the wire and owned by this call, to the channel. */
  private boolean write(ByteBuf bytes) {
    if (channel.eventLoop().inEventLoop()) {
      return writeOnLoop(bytes);
    }
    int size = bytes.readableBytes();
    if (overBudget(size)) {
      bytes.release();
      cut();
      return false;
    }
    inTransit.addAndGet(size);
    try {
      channel.eventLoop().execute(() -> {
        inTransit.addAndGet(-size);
        writeOnLoop(bytes);
      });
      return true;
    } catch (RejectedExecutionException e) {
      inTransit.addAndGet(-size);
      bytes.release();
      return false;
    }
  }

  private boolean writeOnLoop(ByteBuf bytes) {
    if (finished) {
      bytes.release();
      return false;
    }
    if (overBudget(bytes.readableBytes())) {
      bytes.release();
      cut();
      return false;
    }
    out.write(bytes);
    // A room fan-out writes every stream of a loop in one task: each stream's flush waits for the
    // end of that task, so what piled up for a stream meanwhile leaves in one write.
    if (!flushMarked) {
      flushMarked = true;
      LoopFlusher.mark(this, 0);
    }
    return true;
  }

  private boolean overBudget(int size) {
    return SlowConsumerCut.over(pendingBytes() + size, options.maxPendingBytes());
  }

  /** Stops a client that reads too slowly (see {@link SlowConsumerCut}). */
  private void cut() {
    if (channel.eventLoop().inEventLoop()) {
      finished = true;
    }
    Runnable close = () -> {
      finished = true;
      channel.close();
    };
    if (ending.compareAndSet(false, true)) {
      SlowConsumerCut.cut(Traffic.of(channel), channel.eventLoop(), "SSE client " + channel.remoteAddress(),
          pendingBytes() + " bytes waiting, more than " + options.maxPendingBytes(), close);
    } else {
      SlowConsumerCut.closeLater(channel.eventLoop(), close);
    }
  }

  @Override
  public void flushNow() {
    flushMarked = false;
    out.flush();
  }

  /** Ends the body after what is queued (with the last chunk over HTTP/1.1), in a loop task of its own. */
  @Override
  public void close() {
    if (ending.compareAndSet(false, true)) {
      inLoopTask(this::end);
    }
  }

  private void end() {
    if (finished) {
      return;
    }
    finished = true;
    ByteBuf last = chunked ? ChunkedCoding.lastChunk(channel.alloc()) : Unpooled.EMPTY_BUFFER;
    channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
  }

  /** Runs {@code task} on the loop after what is queued there; dropped when the loop has stopped, which closes the connection anyway. */
  private void inLoopTask(Runnable task) {
    try {
      channel.eventLoop().execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("SSE stream on {}: event loop stopped", channel.remoteAddress());
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
    finished = true;
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

  /** Bytes queued and not yet taken by the network, counting what other threads sent that the loop has yet to write. */
  @Override
  public long pendingBytes() {
    return inTransit.get() + out.pendingBytes();
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
