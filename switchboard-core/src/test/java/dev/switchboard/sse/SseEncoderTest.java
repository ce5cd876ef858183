package dev.switchboard.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class SseEncoderTest {
  private static String encode(SseEvent event) {
    ByteBuf buf = SseEncoder.encode(event, UnpooledByteBufAllocator.DEFAULT);
    try {
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  private static String write(Consumer<ByteBuf> writer) {
    ByteBuf buf = UnpooledByteBufAllocator.DEFAULT.heapBuffer();
    try {
      writer.accept(buf);
      return buf.toString(StandardCharsets.UTF_8);
    } finally {
      buf.release();
    }
  }

  @Test
  void plainDataEvent() {
    assertThat(encode(SseEvent.data("{\"text\":\"hé\"}"))).isEqualTo("data: {\"text\":\"hé\"}\n\n");
  }

  @Test
  void allFieldsInOrder() {
    SseEvent event = SseEvent.of("notification", "{\"n\":1}").withId("42").withRetry(Duration.ofMillis(2500));
    assertThat(encode(event)).isEqualTo("id: 42\nevent: notification\nretry: 2500\ndata: {\"n\":1}\n\n");
  }

  @Test
  void multiLineDataBecomesSeveralDataLines() {
    assertThat(encode(SseEvent.data("a\nb\r\nc\rd"))).isEqualTo("data: a\ndata: b\ndata: c\ndata: d\n\n");
    assertThat(encode(SseEvent.data("end\n"))).isEqualTo("data: end\ndata: \n\n");
    assertThat(encode(SseEvent.data(""))).isEqualTo("data: \n\n");
  }

  @Test
  void commentsAndRetryHints() {
    assertThat(write(out -> SseEncoder.comment(out, "heartbeat"))).isEqualTo(": heartbeat\n\n");
    assertThat(write(out -> SseEncoder.comment(out, "two\nlines"))).isEqualTo(": two lines\n\n");
    assertThat(write(out -> SseEncoder.retryHint(out, Duration.ofSeconds(3)))).isEqualTo("retry: 3000\n\n");
  }

  @Test
  void refusesFieldsThatWouldBreakTheFraming() {
    assertThatThrownBy(() -> SseEvent.of("a\nb", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SseEvent.data("x").withId("1\r")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SseEvent.data(null)).isInstanceOf(NullPointerException.class);
  }
}
