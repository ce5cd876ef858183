package dev.switchboard.engineio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** A broadcast's frames: the compressed one is built once, however many threads ask at once. */
class SharedFrameTest {
  private static final int THREADS = 8;

  @RepeatedTest(200)
  void threads_asking_at_once_get_the_one_compressed_frame() throws Exception {
    ByteBuf payload = Unpooled.copiedBuffer("4" + "[\"news\",\"the same text again\"]".repeat(100), StandardCharsets.UTF_8);
    SharedFrame frame = SharedFrame.of(payload, false);
    payload.release();
    Set<ByteBuf> seen = ConcurrentHashMap.newKeySet();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
          seen.add(frame.deflated(Deflater.DEFAULT_COMPRESSION));
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(seen).hasSize(1);
    frame.release();
  }

  @Test
  void the_compressed_frame_has_rsv1_and_inflates_to_the_payload() throws Exception {
    String text = "4" + "[\"news\",\"the same text again\"]".repeat(100);
    ByteBuf payload = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    SharedFrame frame = SharedFrame.of(payload, false);
    payload.release();
    byte[] bytes = ByteBufUtil.getBytes(frame.deflated(Deflater.DEFAULT_COMPRESSION));
    assertThat(bytes[0] & 0xff).isEqualTo(0x80 | 0x40 | WebSocketFrames.TEXT);
    int length = bytes[1] & 0x7f;
    assertThat(length).isLessThan(126);
    byte[] compressed = java.util.Arrays.copyOfRange(bytes, 2, 2 + length);
    byte[] inflated = DeflatedMessages.inflate(Unpooled.wrappedBuffer(compressed), new Inflater(true), 100_000, true);
    assertThat(new String(inflated, StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(ByteBufUtil.getBytes(frame.plain(), 0, 2)).containsExactly(0x80 | WebSocketFrames.TEXT, 126);
    frame.release();
  }
}
