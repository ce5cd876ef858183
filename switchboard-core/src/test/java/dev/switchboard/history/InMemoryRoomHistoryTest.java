package dev.switchboard.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.history.internal.InMemoryRoomHistory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryRoomHistoryTest {
  private final MutableClock clock = new MutableClock();
  private final InMemoryRoomHistory history = new InMemoryRoomHistory(List.of(
      new HistoryRule("chat:*", 3, Duration.ofMinutes(2)),
      new HistoryRule("none:*", 0, Duration.ofMinutes(1))), clock);

  @Test
  void offsetsGrowByOneWithinAnEpoch() {
    HistoryEntry first = append("chat:1", "a");
    HistoryEntry second = append("chat:1", "b");
    assertThat(first.position().offset()).isEqualTo(1);
    assertThat(second.position()).isEqualTo(new StreamPosition(first.position().epoch(), 2));
    assertThat(history.position("chat:1")).isEqualTo(second.position());
  }

  @Test
  void roomsWithoutARuleKeepNothing() {
    assertThat(history.keeps("other")).isFalse();
    assertThat(history.append("other", "e", json("x"), List.of())).isEmpty();
    assertThat(history.append("none:1", "e", json("x"), List.of())).isEmpty();
  }

  @Test
  void sinceReturnsWhatFollowsInOrderWithALimit() {
    HistoryEntry a = append("chat:1", "a");
    append("chat:1", "b");
    append("chat:1", "c");
    HistoryPage page = history.page("chat:1", a.position(), 1);
    assertThat(page.entries()).extracting(e -> new String(e.argsJson(), StandardCharsets.UTF_8)).containsExactly("[\"b\"]");
    assertThat(page.more()).isTrue();
    assertThat(page.gap()).isFalse();
    assertThat(history.page("chat:1", a.position(), 10).entries()).hasSize(2);
    assertThat(history.page("chat:1", null, 10).entries()).hasSize(3);
  }

  @Test
  void trimmedMessagesAreReportedAsAGap() {
    HistoryEntry first = append("chat:1", "1");
    for (int i = 2; i <= 5; i++) {
      append("chat:1", String.valueOf(i));
    }
    HistoryPage page = history.page("chat:1", first.position(), 10);
    assertThat(page.gap()).isTrue();
    assertThat(page.entries()).hasSize(3);
    HistoryPage fromThree = history.page("chat:1", new StreamPosition(first.position().epoch(), 2), 10);
    assertThat(fromThree.gap()).isFalse();
  }

  @Test
  void expiredMessagesAreReportedAsAGapButAnUpToDateCursorIsNot() {
    HistoryEntry first = append("chat:1", "1");
    HistoryEntry second = append("chat:1", "2");
    clock.advance(Duration.ofMinutes(3));
    assertThat(history.page("chat:1", first.position(), 10).gap()).isTrue();
    assertThat(history.page("chat:1", second.position(), 10).gap()).isFalse();
    HistoryEntry third = append("chat:1", "3");
    assertThat(third.position().epoch()).isEqualTo(first.position().epoch());
  }

  @Test
  void anotherEpochIsAGapAndReplaysTheWholeStream() {
    append("chat:1", "1");
    HistoryPage page = history.page("chat:1", new StreamPosition("elsewhere", 7), 10);
    assertThat(page.gap()).isTrue();
    assertThat(page.entries()).hasSize(1);
  }

  @Test
  void idleStreamsAreForgottenAndStartANewEpoch() {
    HistoryEntry first = append("chat:1", "1");
    clock.advance(InMemoryRoomHistory.IDLE_STREAM_RETENTION.plusMinutes(1));
    history.sweep();
    assertThat(history.streamCount()).isZero();
    assertThat(history.page("chat:1", first.position(), 10).gap()).isTrue();
    assertThat(append("chat:1", "2").position().epoch()).isNotEqualTo(first.position().epoch());
  }

  private HistoryEntry append(String room, String text) {
    return history.append(room, "msg", json(text), List.of()).orElseThrow();
  }

  private static byte[] json(String text) {
    return ("[\"" + text + "\"]").getBytes(StandardCharsets.UTF_8);
  }

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
