package dev.switchboard.engineio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketTransportTest {
  @Test
  void withOnlyInboundHandlersFramesReachTheSocketWithoutThePipeline() {
    EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
    WebSocketTransport transport = new WebSocketTransport(channel);

    transport.writeFramed(frame("one"));
    transport.write(Unpooled.copiedBuffer("4two", StandardCharsets.UTF_8), false);
    assertThat((Object) channel.readOutbound()).isNull();
    transport.flush();

    assertThat(text(channel.readOutbound())).isEqualTo("one");
    assertThat(text(channel.readOutbound())).isEqualTo("4two");
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  @Test
  void anOutboundHandlerStillSeesEveryFrameAndFlush() {
    Recording recording = new Recording();
    EmbeddedChannel channel = new EmbeddedChannel(recording, new ChannelInboundHandlerAdapter());
    WebSocketTransport transport = new WebSocketTransport(channel);

    transport.writeFramed(frame("one"));
    transport.flush();

    assertThat(recording.events).containsExactly("write", "flush");
    assertThat(text(channel.readOutbound())).isEqualTo("one");
    assertThat(channel.finishAndReleaseAll()).isFalse();
  }

  private static ByteBuf frame(String text) {
    ByteBuf payload = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    try {
      return WebSocketFrames.text(UnpooledByteBufAllocator.DEFAULT, payload);
    } finally {
      payload.release();
    }
  }

  /** The payload of one unmasked text frame with a 7-bit length, released. */
  private static String text(Object frame) {
    ByteBuf buf = (ByteBuf) frame;
    try {
      assertThat(buf.readUnsignedByte()).isEqualTo((short) 0x81);
      int length = buf.readUnsignedByte();
      return buf.readCharSequence(length, StandardCharsets.UTF_8).toString();
    } finally {
      buf.release();
    }
  }

  /** Stands for TLS or any other handler that must see outgoing bytes. */
  private static final class Recording extends ChannelDuplexHandler {
    final List<String> events = new ArrayList<>();

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      events.add("write");
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      events.add("flush");
      ctx.flush();
    }
  }
}
