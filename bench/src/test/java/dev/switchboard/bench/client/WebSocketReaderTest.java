package dev.switchboard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketReaderTest {
  private static final int FIN = 0x80;

  private final List<String> seen = new ArrayList<>();
  private final WebSocketReader reader = new WebSocketReader(new WebSocketReader.Frames() {
    @Override
    public void onText(ByteBuf buf, int index, int length) {
      seen.add("text:" + buf.toString(index, length, StandardCharsets.UTF_8));
    }

    @Override
    public void onPing(ByteBuf buf, int index, int length) {
      seen.add("ping:" + buf.toString(index, length, StandardCharsets.UTF_8));
    }

    @Override
    public void onClose() {
      seen.add("close");
    }
  });

  @AfterEach
  void release() {
    reader.release();
  }

  @Test
  void shouldReadSeveralFramesOfOneChunk() {
    feed(concat(frame(FIN | 0x1, "0{\"sid\":\"a\"}"), frame(FIN | 0x1, "40"), frame(FIN | 0x1, "")));
    assertThat(seen).containsExactly("text:0{\"sid\":\"a\"}", "text:40", "text:");
  }

  @Test
  void shouldJoinFramesSplitAtEveryByte() {
    String long16 = "42[\"msg\",\"" + "y".repeat(300) + "\"]";
    String long64 = "é".repeat(40_000);
    byte[] stream = concat(frame(FIN | 0x1, "2"), frame(FIN | 0x1, long16), frame(FIN | 0x1, long64), frame(FIN | 0x1, "3"));
    for (int split = 1; split < stream.length; split += split < 400 ? 1 : 997) {
      seen.clear();
      feed(slice(stream, 0, split));
      feed(slice(stream, split, stream.length));
      assertThat(seen).as("split at %d", split).containsExactly("text:2", "text:" + long16, "text:" + long64, "text:3");
    }
  }

  @Test
  void shouldReadAStreamFedOneByteAtATime() {
    byte[] stream = concat(frame(FIN | 0x1, "x".repeat(130)), frame(FIN | 0x9, "p"), frame(FIN | 0x1, "42[]"));
    for (int i = 0; i < stream.length; i++) {
      feed(slice(stream, i, i + 1));
    }
    assertThat(seen).containsExactly("text:" + "x".repeat(130), "ping:p", "text:42[]");
  }

  @Test
  void shouldJoinFragmentedTextAroundAPing() {
    feed(concat(frame(0x1, "42[\"a"), frame(FIN | 0x9, "hi"), frame(0x0, "bc"), frame(FIN | 0x0, "d\"]"), frame(FIN | 0x1, "3")));
    assertThat(seen).containsExactly("ping:hi", "text:42[\"abcd\"]", "text:3");
  }

  @Test
  void shouldSkipBinaryAndPongs() {
    feed(concat(frame(FIN | 0x2, "bin"), frame(0x2, "frag"), frame(FIN | 0x0, "ment"), frame(FIN | 0xA, "pong"),
        frame(FIN | 0x1, "40")));
    assertThat(seen).containsExactly("text:40");
  }

  @Test
  void shouldStopReadingAtAClose() {
    feed(concat(frame(FIN | 0x1, "a"), frame(FIN | 0x8, ""), frame(FIN | 0x1, "b")));
    feed(frame(FIN | 0x1, "c"));
    assertThat(seen).containsExactly("text:a", "close");
  }

  @Test
  void shouldRefuseMaskedFramesAndOversizedOnes() {
    assertThatThrownBy(() -> feed(new byte[] {(byte) (FIN | 0x1), (byte) 0x81, 0, 0, 0, 0, 'a'}))
        .isInstanceOf(CorruptedFrameException.class);
    assertThatThrownBy(() -> feed(new byte[] {(byte) (FIN | 0x1), 127, 0, 0, 0, 0, 0x7F, 0, 0, 0}))
        .isInstanceOf(CorruptedFrameException.class);
  }

  /** A server frame: unmasked, with the shortest length encoding. */
  static byte[] frame(int first, String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(first);
    int n = payload.length;
    if (n < 126) {
      out.write(n);
    } else if (n <= 0xFFFF) {
      out.write(126);
      out.write(n >>> 8);
      out.write(n);
    } else {
      out.write(127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out.write((int) ((long) n >>> shift));
      }
    }
    out.writeBytes(payload);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  private static byte[] slice(byte[] bytes, int from, int to) {
    return java.util.Arrays.copyOfRange(bytes, from, to);
  }

  private void feed(byte[] bytes) {
    // Read from the middle of a larger buffer, as from a socket read, not from index 0.
    ByteBuf chunk = Unpooled.buffer(bytes.length + 8).writeLong(-1).writeBytes(bytes);
    chunk.skipBytes(8);
    try {
      reader.read(chunk);
    } finally {
      chunk.release();
    }
  }
}
