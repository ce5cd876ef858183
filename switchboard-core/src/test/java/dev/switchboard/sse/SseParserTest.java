package dev.switchboard.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  /** What a parser reported, as text in order. */
  private final List<String> seen = new ArrayList<>();
  private final SseParser parser = new SseParser(new SseParser.Listener() {
    @Override
    public void event(String lastEventId, String event, String data) {
      seen.add("event id=" + lastEventId + " type=" + event + " data=" + data);
    }

    @Override
    public void retry(Duration delay) {
      seen.add("retry " + delay.toMillis());
    }

    @Override
    public void comment(String text) {
      seen.add("comment" + text);
    }
  });

  private void feed(String stream) {
    for (String line : stream.split("\r\n|\r|\n", -1)) {
      parser.line(line);
    }
  }

  @Test
  void dataLinesAreJoinedAndTheBlankLineDispatches() {
    feed("data: first\ndata:second\ndata\n\n");
    assertThat(seen).containsExactly("event id= type=message data=first\nsecond\n");
  }

  @Test
  void theEventTypeLastsOneEventAndTheIdCarriesOver() {
    feed("id: 7\nevent: chat\ndata: a\n\ndata: b\n\nid\ndata: c\n\n");
    assertThat(seen).containsExactly("event id=7 type=chat data=a", "event id=7 type=message data=b",
        "event id= type=message data=c");
  }

  @Test
  void aBlankLineWithoutDataSetsTheIdButDispatchesNothing() {
    feed("id: 3\nevent: ignored\n\n");
    assertThat(seen).isEmpty();
    assertThat(parser.lastEventId()).isEqualTo("3");
    feed("data: x\n\n");
    assertThat(seen).containsExactly("event id=3 type=message data=x");
  }

  @Test
  void anIdWithNulIsIgnored() {
    feed("id: 1\n\nid: 2\u0000\ndata: x\n\n");
    assertThat(seen).containsExactly("event id=1 type=message data=x");
  }

  @Test
  void commentsAndRetriesAreReportedAndUnknownFieldsIgnored() {
    feed(": keep-alive\nretry: 2500\nretry: soon\nretry:\nfoo: bar\ndata: x\n\n");
    assertThat(seen).containsExactly("comment keep-alive", "retry 2500", "event id= type=message data=x");
  }

  @Test
  void anEventWithoutItsBlankLineIsDroppedUnlessTheEndIsTold() {
    feed("data: kept\n\ndata: unfinished");
    assertThat(seen).containsExactly("event id= type=message data=kept");
    parser.end();
    assertThat(seen).containsExactly("event id= type=message data=kept", "event id= type=message data=unfinished");
    parser.end();
    assertThat(seen).hasSize(2);
  }

  @Test
  void readsWhatTheEncoderWrites() {
    SseEvent sent = SseEvent.of("note", "line one\r\nline two\nthree").withId("room@e1:4").withRetry(Duration.ofSeconds(3));
    ByteBuf wire = SseEncoder.encode(sent, UnpooledByteBufAllocator.DEFAULT);
    try {
      feed(wire.toString(StandardCharsets.UTF_8));
    } finally {
      wire.release();
    }
    assertThat(seen).containsExactly("retry 3000", "event id=room@e1:4 type=note data=line one\nline two\nthree");
  }
}
