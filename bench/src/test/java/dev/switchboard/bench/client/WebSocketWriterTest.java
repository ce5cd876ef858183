package dev.switchboard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebSocketWriterTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  @Test
  void shouldWriteAShortMaskedTextFrame() {
    ByteBuf frame = WebSocketWriter.text(ALLOC, "40");
    try {
      assertThat(ByteBufUtil.hexDump(frame)).isEqualTo("8182" + "00000000" + "3430");
    } finally {
      frame.release();
    }
  }

  @Test
  void shouldUseSixteenAndSixtyFourBitLengthsAndUtf8() {
    String medium = "é".repeat(100);
    ByteBuf frame = WebSocketWriter.text(ALLOC, medium);
    try {
      assertThat(ByteBufUtil.hexDump(frame, 0, 8)).isEqualTo("81fe00c8" + "00000000");
      assertThat(frame.toString(8, 200, StandardCharsets.UTF_8)).isEqualTo(medium);
      assertThat(frame.readableBytes()).isEqualTo(208);
    } finally {
      frame.release();
    }
    ByteBuf large = WebSocketWriter.text(ALLOC, "x".repeat(70_000));
    try {
      assertThat(ByteBufUtil.hexDump(large, 0, 14)).isEqualTo("81ff" + "0000000000011170" + "00000000");
      assertThat(large.readableBytes()).isEqualTo(14 + 70_000);
    } finally {
      large.release();
    }
  }

  @Test
  void shouldAnswerAPingsPayloadInAPong() {
    ByteBuf ping = Unpooled.copiedBuffer("--hi--", StandardCharsets.US_ASCII);
    ByteBuf pong = WebSocketWriter.pong(ALLOC, ping, 2, 2);
    try {
      assertThat(ByteBufUtil.hexDump(pong)).isEqualTo("8a82" + "00000000" + "6869");
    } finally {
      pong.release();
      ping.release();
    }
  }
}
