package dev.switchboard.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testkit.LeakRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedCodingTest {
  private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

  @AfterAll
  static void noLeaks() {
    assertThat(LeakRecorder.leaks()).isEmpty();
  }

  @Test
  void aChunkIsTheSizeInHexTheDataAndCrlfsInOneBuffer() {
    ByteBuf data = ascii("data: hi\n\n");
    ByteBuf chunk = ChunkedCoding.chunk(ALLOC, data);
    try {
      assertThat(chunk.toString(StandardCharsets.US_ASCII)).isEqualTo("a\r\ndata: hi\n\n\r\n");
      assertThat(chunk.isDirect()).isTrue();
      assertThat(data.readableBytes()).as("the data is left as it was").isEqualTo(10);
    } finally {
      chunk.release();
      data.release();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 15, 16, 255, 256, 4095, 4096, 65_536, 1_000_000})
  void theSizeLineIsLowercaseHexWithoutLeadingZeros(int size) {
    ByteBuf data = Unpooled.wrappedBuffer(new byte[size]);
    ByteBuf chunk = ChunkedCoding.chunk(ALLOC, data);
    try {
      String sizeLine = Integer.toHexString(size) + "\r\n";
      assertThat(chunk.toString(0, sizeLine.length(), StandardCharsets.US_ASCII)).isEqualTo(sizeLine);
      assertThat(chunk.readableBytes()).isEqualTo(sizeLine.length() + size + 2);
      assertThat(chunk.getByte(chunk.writerIndex() - 2)).isEqualTo((byte) '\r');
      assertThat(chunk.getByte(chunk.writerIndex() - 1)).isEqualTo((byte) '\n');
    } finally {
      chunk.release();
      data.release();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 15, 16, 300, 70_000})
  void enclosingInPlaceGivesTheSameBytesAsCopying(int size) {
    byte[] bytes = new byte[size];
    java.util.Arrays.fill(bytes, (byte) 'x');
    ByteBuf inPlace = ChunkedCoding.withSizeLineRoom(ALLOC, 8).writeBytes(bytes);
    ByteBuf copied = ChunkedCoding.chunk(ALLOC, Unpooled.wrappedBuffer(bytes));
    try {
      assertThat(ChunkedCoding.enclose(inPlace)).isSameAs(inPlace).isEqualTo(copied);
    } finally {
      inPlace.release();
      copied.release();
    }
  }

  @Test
  void theLastChunkEndsTheBody() {
    ByteBuf last = ChunkedCoding.lastChunk(ALLOC);
    try {
      assertThat(last.toString(StandardCharsets.US_ASCII)).isEqualTo("0\r\n\r\n");
    } finally {
      last.release();
    }
  }

  @Test
  void noDataIsNeverFramedAsItWouldReadAsTheLastChunk() {
    ByteBuf empty = ChunkedCoding.withSizeLineRoom(ALLOC, 8);
    try {
      assertThatThrownBy(() -> ChunkedCoding.chunk(ALLOC, Unpooled.EMPTY_BUFFER)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> ChunkedCoding.enclose(empty)).isInstanceOf(IllegalArgumentException.class);
    } finally {
      empty.release();
    }
  }

  @Test
  void enclosingNeedsTheRoomInFront() {
    ByteBuf data = ascii("x");
    try {
      assertThatThrownBy(() -> ChunkedCoding.enclose(data)).isInstanceOf(IllegalArgumentException.class);
    } finally {
      data.release();
    }
  }

  private static ByteBuf ascii(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
  }
}
