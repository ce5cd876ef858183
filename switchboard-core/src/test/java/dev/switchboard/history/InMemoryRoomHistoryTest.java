package dev.switchboard.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.history.internal.InMemoryRoomHistory;
import dev.switchboard.history.internal.RetainedBytes;
import dev.switchboard.testkit.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class InMemoryRoomHistoryTest {
  private final ManualClock clock = new ManualClock();
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

  @Test
  void aRoomKeepsAtMostItsBytesAndReportsWhatItDroppedAsAGap() {
    InMemoryRoomHistory bounded = new InMemoryRoomHistory(
        List.of(new HistoryRule("*", 100, Duration.ofMinutes(2), 4096)), clock);
    HistoryEntry first = bounded.append("r", "msg", json("x".repeat(1000)), List.of()).orElseThrow();
    for (int i = 0; i < 9; i++) {
      bounded.append("r", "msg", json("x".repeat(1000)), List.of());
    }
    assertThat(bounded.retainedBytes("r")).isPositive().isLessThanOrEqualTo(4096);
    HistoryPage page = bounded.page("r", first.position(), 100);
    assertThat(page.gap()).isTrue();
    assertThat(page.entries()).extracting(e -> e.position().offset()).as("the newest, none missing between them")
        .containsExactly(8L, 9L, 10L);
    assertThat(page.entries()).allSatisfy(e -> assertThat(e.arguments().get(0).asText()).hasSize(1000));
  }

  /**
   * Small messages share a room's first chunk (512 bytes): with a budget of four chunks, a fifth
   * room evicts the oldest room's chunk, and a sixth the next oldest.
   */
  @Test
  void theProcessBudgetEvictsTheOldestMessagesOfAnyRoomFirst() {
    RetainedBytes budget = new RetainedBytes(4 * (512 + RetainedBytes.OVERHEAD_PER_MESSAGE));
    InMemoryRoomHistory shared = new InMemoryRoomHistory(
        List.of(new HistoryRule("*", 100, Duration.ofMinutes(2), 1 << 20)), clock, budget);
    List<HistoryEntry> firsts = new java.util.ArrayList<>();
    for (String room : List.of("a", "b", "c", "d")) {
      firsts.add(shared.append(room, "msg", json("first of " + room), List.of()).orElseThrow());
      shared.append(room, "msg", json("second of " + room), List.of());
      budget.enforce();
    }
    assertThat(budget.total()).isEqualTo(budget.maxBytes());
    shared.append("e", "msg", json("first of e"), List.of());
    budget.enforce();
    assertThat(shared.page("a", new StreamPosition(firsts.get(0).position().epoch(), 0), 10).gap())
        .as("a's messages went first").isTrue();
    assertThat(shared.page("b", new StreamPosition(firsts.get(1).position().epoch(), 0), 10).entries())
        .extracting(e -> e.arguments().get(0).asText()).containsExactly("first of b", "second of b");
    shared.append("f", "msg", json("first of f"), List.of());
    budget.enforce();
    assertThat(shared.page("b", new StreamPosition(firsts.get(1).position().epoch(), 0), 10).gap()).as("then b's").isTrue();
    long held = 0;
    for (String room : List.of("a", "b", "c", "d", "e", "f")) {
      held += shared.retainedBytes(room);
    }
    assertThat(held).isEqualTo(budget.total());
  }

  /**
   * Loops appending to many rooms at once against a small budget: the total stays within it and
   * always equals what the rooms hold; no eviction deadlocks on another room's lock.
   */
  @RepeatedTest(20)
  void concurrentAppendsKeepTheAccountingExact() throws Exception {
    RetainedBytes budget = new RetainedBytes(64 * 1024);
    InMemoryRoomHistory shared = new InMemoryRoomHistory(
        List.of(new HistoryRule("*", 50, Duration.ofMinutes(2), 16 * 1024)), Clock.systemUTC(), budget);
    int threads = 4;
    int rooms = 40;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
    List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int seed = t;
      done.add(pool.submit(() -> {
        start.await();
        java.util.Random random = new java.util.Random(seed);
        for (int i = 0; i < 5_000; i++) {
          shared.append("room-" + random.nextInt(rooms), "msg", json("x".repeat(random.nextInt(2_000))), List.of());
          budget.enforce();
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> future : done) {
      future.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    pool.shutdown();
    long held = 0;
    for (int room = 0; room < rooms; room++) {
      assertThat(shared.retainedBytes("room-" + room)).isLessThanOrEqualTo(16 * 1024);
      held += shared.retainedBytes("room-" + room);
    }
    assertThat(budget.total()).isEqualTo(held).isLessThanOrEqualTo(64 * 1024);
  }

  private HistoryEntry append(String room, String text) {
    return history.append(room, "msg", json(text), List.of()).orElseThrow();
  }

  private static byte[] json(String text) {
    return ("[\"" + text + "\"]").getBytes(StandardCharsets.UTF_8);
  }
}
