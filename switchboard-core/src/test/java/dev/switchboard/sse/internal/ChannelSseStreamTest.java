package dev.switchboard.sse.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.http.HttpExchange;
import dev.switchboard.http.internal.ChunkedCoding;
import dev.switchboard.sse.SseEncoder;
import dev.switchboard.sse.SseEvent;
import dev.switchboard.sse.SseOptions;
import dev.switchboard.testkit.LeakRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bytes a stream hands to its channel, seen on an embedded one. */
class ChannelSseStreamTest {
  private static final SseOptions OPTIONS = SseOptions.DEFAULTS.withRetry(Duration.ofMillis(1500));

  private final List<ChannelSseStream> opened = new ArrayList<>();
  private EmbeddedChannel channel;

  @AfterEach
  void finish() {
    if (channel != null) {
      channel.finishAndReleaseAll();
    }
  }

  @AfterAll
  static void noLeaks() {
    assertThat(LeakRecorder.leaks()).isEmpty();
  }

  /** Opens a stream as the router would, for a request sent as {@code request}. */
  private ChannelSseStream open(String request, SseOptions options) {
    channel = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(8192),
        new SimpleChannelInboundHandler<FullHttpRequest>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
            opened.add(ChannelSseStream.open(new HttpExchange(ctx, msg), options));
          }
        });
    channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
    assertThat(opened).hasSize(1);
    return opened.get(0);
  }

  /** What the channel flushed since the last call, one string per buffer written. */
  private List<String> written() {
    channel.runPendingTasks();
    List<String> writes = new ArrayList<>();
    Object next;
    while ((next = channel.readOutbound()) != null) {
      ByteBuf buf = (ByteBuf) next;
      try {
        writes.add(buf.toString(StandardCharsets.UTF_8));
      } finally {
        buf.release();
      }
    }
    return writes;
  }

  private static String body(List<String> writes) {
    return writes.stream().filter(w -> !w.startsWith("HTTP/")).reduce("", String::concat);
  }

  @Test
  void overHttp11EachEventLeavesAsOneChunkInOneBuffer() {
    ChannelSseStream stream = open("GET /events HTTP/1.1\r\nHost: x\r\n\r\n", OPTIONS);
    List<String> head = written();
    assertThat(head.get(0)).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("transfer-encoding: chunked");
    assertThat(head.get(head.size() - 1)).isEqualTo("d\r\nretry: 1500\n\n\r\n");

    assertThat(stream.send(SseEvent.of("note", "hi"))).isTrue();
    assertThat(stream.comment("ping")).isTrue();
    ByteBuf shared = SseEncoder.encode(SseEvent.data("shared"), ByteBufAllocator.DEFAULT);
    try {
      assertThat(stream.sendShared(shared)).isTrue();
    } finally {
      shared.release();
    }
    assertThat(written()).containsExactly(
        "16\r\nevent: note\ndata: hi\n\n\r\n",
        "8\r\n: ping\n\n\r\n",
        "e\r\ndata: shared\n\n\r\n");
  }

  @Test
  void aBroadcastChunkIsSharedNotRebuilt() {
    ChannelSseStream stream = open("GET /events HTTP/1.1\r\nHost: x\r\n\r\n", OPTIONS);
    written();
    ByteBuf event = SseEncoder.encode(SseEvent.data("all"), ByteBufAllocator.DEFAULT);
    ByteBuf chunk = ChunkedCoding.chunk(ByteBufAllocator.DEFAULT, event);
    try {
      assertThat(stream.sendShared(event, chunk)).isTrue();
      assertThat(chunk.refCnt()).as("the stream holds a reference to the chunk itself").isEqualTo(2);
      assertThat(event.refCnt()).isEqualTo(1);
      assertThat(written()).containsExactly("b\r\ndata: all\n\n\r\n");
      assertThat(chunk.refCnt()).isEqualTo(1);
    } finally {
      event.release();
      chunk.release();
    }
  }

  @Test
  void overHttp10TheBodyIsTheBareEventsUntilTheConnectionCloses() {
    ChannelSseStream stream = open("GET /events HTTP/1.0\r\n\r\n", OPTIONS);
    List<String> head = written();
    assertThat(head.get(0)).startsWith("HTTP/1.0 200 OK").doesNotContainIgnoringCase("transfer-encoding");
    assertThat(body(head)).isEqualTo("retry: 1500\n\n");

    ByteBuf event = SseEncoder.encode(SseEvent.data("all"), ByteBufAllocator.DEFAULT);
    ByteBuf chunk = ChunkedCoding.chunk(ByteBufAllocator.DEFAULT, event);
    try {
      stream.send(SseEvent.data("hi"));
      stream.sendShared(event, chunk);
      stream.sendShared(event);
    } finally {
      event.release();
      chunk.release();
    }
    stream.close();
    assertThat(body(written())).isEqualTo("data: hi\n\ndata: all\n\ndata: all\n\n");
    assertThat(channel.isOpen()).isFalse();
  }

  @Test
  void closingEndsTheBodyWithTheLastChunkThenTheConnection() {
    ChannelSseStream stream = open("GET /events HTTP/1.1\r\nHost: x\r\n\r\n", OPTIONS);
    written();
    List<String> closes = new ArrayList<>();
    stream.onClose(() -> closes.add("closed"));
    stream.send(SseEvent.data("bye"));
    stream.close();
    assertThat(stream.isOpen()).isFalse();
    assertThat(stream.send(SseEvent.data("late"))).isFalse();
    assertThat(written()).containsExactly("b\r\ndata: bye\n\n\r\n", "0\r\n\r\n");
    assertThat(channel.isOpen()).isFalse();
    assertThat(closes).containsExactly("closed");
  }

  @Test
  void theHttpCodecLeavesAndWhatTheClientSendsNextIsDropped() {
    ChannelSseStream stream = open("GET /events HTTP/1.1\r\nHost: x\r\n\r\nGET /ev", OPTIONS);
    assertThat(channel.pipeline().get(HttpServerCodec.class)).isNull();
    channel.pipeline().forEach(entry -> assertThat(entry.getValue()).isNotInstanceOf(ChannelOutboundHandler.class));
    channel.writeInbound(Unpooled.copiedBuffer("ents HTTP/1.1\r\nHost: x\r\n\r\n", StandardCharsets.US_ASCII));
    assertThat(opened).hasSize(1);
    assertThat((Object) channel.readInbound()).isNull();
    written();
    stream.send(SseEvent.data("still here"));
    assertThat(written()).containsExactly("12\r\ndata: still here\n\n\r\n");
  }

  @Test
  void theBudgetCountsWhatTheChannelHasNotWrittenYet() {
    ChannelSseStream stream = open("GET /events HTTP/1.1\r\nHost: x\r\n\r\n", OPTIONS.withMaxPendingBytes(4096));
    written();
    assertThat(stream.pendingBytes()).isZero();

    stream.send(SseEvent.data("x".repeat(1000)));
    long pending = channel.unsafe().outboundBuffer().totalPendingWriteBytes();
    assertThat(pending).isGreaterThan(1000);
    assertThat(stream.pendingBytes()).isEqualTo(pending);

    assertThat(written()).hasSize(1);
    assertThat(stream.pendingBytes()).as("flushed").isZero();
  }

  @Test
  void anEventPastTheBudgetIsRefusedAndTheStreamCut() {
    ChannelSseStream stream = open("GET /events HTTP/1.1\r\nHost: x\r\n\r\n", OPTIONS.withMaxPendingBytes(1024));
    written();
    List<String> closes = new ArrayList<>();
    stream.onClose(() -> closes.add("closed"));
    assertThat(stream.send(SseEvent.data("x".repeat(2000)))).isFalse();
    assertThat(stream.isOpen()).isFalse();
    assertThat(stream.send(SseEvent.data("small"))).isFalse();
    assertThat(written()).as("no last chunk for a cut stream").isEmpty();
    assertThat(channel.isOpen()).isFalse();
    assertThat(closes).containsExactly("closed");
    assertThat(stream.pendingBytes()).isZero();
  }
}
