package dev.switchboard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {
  private final List<String> events = new ArrayList<>();
  private final SseReader reader = new SseReader((type, data, lastId) -> events.add(
      type.toString(StandardCharsets.UTF_8) + "|" + data.toString(StandardCharsets.UTF_8) + "|"
          + lastId.toString(StandardCharsets.UTF_8)));

  @Test
  void shouldReportEventsWithTypeDataAndId() {
    feed("retry: 3000\n\n: comment\nid: 7\nevent: msg\ndata: {\"t\":1}\n\ndata: plain\n\n");
    assertThat(events).containsExactly("msg|{\"t\":1}|7", "|plain|7");
  }

  @Test
  void shouldJoinLinesSplitAcrossChunksAndCrlf() {
    feed("event: m");
    feed("sg\r\ndata: a");
    feed("b\r\ndata:c\r");
    feed("\n\r\n");
    assertThat(events).containsExactly("msg|ab\nc|");
  }

  @Test
  void shouldReadTheStampOfAnEventsData() {
    ByteBuf data = Unpooled.copiedBuffer("{\"t\":123456789,\"p\":\"xx\"}", StandardCharsets.US_ASCII);
    assertThat(SioFrames.stamp(data)).isEqualTo(123456789L);
    assertThat(SioFrames.stamp(Unpooled.copiedBuffer("{\"p\":1}", StandardCharsets.US_ASCII))).isEqualTo(-1);
  }

  private void feed(String text) {
    ByteBuf chunk = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    try {
      reader.read(chunk);
    } finally {
      chunk.release();
    }
  }
}
