package dev.switchboard.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.history.internal.RetainedBytes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LogSegmentsTest {
  private static final int SEGMENT = 4096;

  private final RetainedBytes budget = RetainedBytes.unbounded();
  private final List<RetainedBytes.Charge> evicted = new ArrayList<>();
  private final LogSegments log = new LogSegments(SEGMENT, budget, evicted::add);

  @Test
  void packetsComeBackWholeAndInOrderAfterAnOffset() {
    append(1, "42[\"a\",1]", List.of(), Set.of("room-1"), Set.of());
    append(2, "451-[\"b\",{\"_placeholder\":true,\"num\":0}]", List.of(new byte[] {1, 2, 3}), Set.of("room-2", "été"),
        Set.of("sid-x"));
    append(3, "42[\"c\",3]", List.of(), Set.of(), Set.of());

    List<RecoveryLog.Logged> after = log.after(1, (rooms, except) -> true);

    assertThat(after).extracting(RecoveryLog.Logged::seq).containsExactly(2L, 3L);
    RecoveryLog.Logged binary = after.get(0);
    assertThat(new String(binary.text(), StandardCharsets.UTF_8)).isEqualTo("451-[\"b\",{\"_placeholder\":true,\"num\":0}]");
    assertThat(binary.attachments()).singleElement().isEqualTo(new byte[] {1, 2, 3});
    assertThat(binary.rooms()).containsExactlyInAnyOrder("room-2", "été");
    assertThat(binary.except()).containsExactly("sid-x");
    assertThat(binary.timestampMillis()).isEqualTo(2000);
    assertThat(after.get(1).rooms()).isEmpty();
  }

  @Test
  void theFilterSeesEachPacketsRoomsAndExceptions() {
    append(1, "42[\"a\"]", List.of(), Set.of("a"), Set.of());
    append(2, "42[\"b\"]", List.of(), Set.of("b"), Set.of());
    append(3, "42[\"c\"]", List.of(), Set.of("a"), Set.of("me"));

    assertThat(log.after(0, (rooms, except) -> rooms.contains("a") && !except.contains("me")))
        .extracting(RecoveryLog.Logged::seq).containsExactly(1L);
  }

  @Test
  void segmentsFillUpAreChargedWholeAndAreDroppedOldestFirst() {
    String text = "42[\"m\",\"" + "x".repeat(900) + "\"]";
    for (int seq = 1; seq <= 20; seq++) {
      append(seq, text, List.of(), Set.of("r"), Set.of());
    }
    assertThat(log.count()).isEqualTo(20);
    long segments = log.bytes() / SEGMENT;
    assertThat(segments).as("four packets of ~950 bytes per 4 KiB segment").isEqualTo(5);
    assertThat(budget.total()).isEqualTo(segments * (SEGMENT + RetainedBytes.OVERHEAD_PER_MESSAGE));

    log.dropOldest();

    assertThat(log.count()).isEqualTo(16);
    assertThat(log.droppedSeq()).isEqualTo(4);
    assertThat(log.after(0, (rooms, except) -> true)).extracting(RecoveryLog.Logged::seq).first().isEqualTo(5L);
    assertThat(budget.total()).isEqualTo(4 * (SEGMENT + RetainedBytes.OVERHEAD_PER_MESSAGE));
  }

  @Test
  void aPacketLargerThanASegmentGetsOneOfItsOwn() {
    append(1, "42[\"small\"]", List.of(), Set.of(), Set.of());
    append(2, "42[\"big\"]", List.of(new byte[3 * SEGMENT]), Set.of(), Set.of());
    append(3, "42[\"small\"]", List.of(), Set.of(), Set.of());

    assertThat(log.after(0, (rooms, except) -> true)).extracting(RecoveryLog.Logged::seq).containsExactly(1L, 2L, 3L);
    assertThat(log.after(1, (rooms, except) -> true).get(0).attachments().get(0)).hasSize(3 * SEGMENT);
  }

  @Test
  void theBudgetEvictsASegmentByItsCharge() {
    RetainedBytes small = new RetainedBytes(2 * (SEGMENT + RetainedBytes.OVERHEAD_PER_MESSAGE));
    LogSegments[] holder = new LogSegments[1];
    holder[0] = new LogSegments(SEGMENT, small, charge -> holder[0].evict(charge));
    String text = "42[\"m\",\"" + "x".repeat(1900) + "\"]";
    for (int seq = 1; seq <= 6; seq++) {
      ByteBuf buf = buffer(text);
      holder[0].append(seq, seq, buf, List.of(), Set.of(), Set.of());
      buf.release();
      small.enforce();
    }
    assertThat(small.total()).isLessThanOrEqualTo(small.maxBytes());
    assertThat(holder[0].droppedSeq()).as("two packets per segment, two segments kept").isEqualTo(2);
    assertThat(holder[0].count()).isEqualTo(4);
  }

  @Test
  void droppedSegmentsAreReused() {
    String text = "42[\"m\",\"" + "x".repeat(1900) + "\"]";
    for (int seq = 1; seq <= 200; seq++) {
      append(seq, text, List.of(), Set.of(), Set.of());
      while (log.count() > 6) {
        log.dropOldest();
      }
    }
    assertThat(log.after(194, (rooms, except) -> true)).extracting(RecoveryLog.Logged::seq)
        .containsExactly(195L, 196L, 197L, 198L, 199L, 200L);
    assertThat(log.droppedSeq()).isEqualTo(194);
  }

  @Test
  void packetsKeptOutOfSequenceOrderComeBackInIt() {
    // Two event loops take offsets 1 to 40 at once: each keeps its own in order, the two interleave.
    String text = "42[\"m\",\"" + "x".repeat(900) + "\"]";
    long[] kept = new long[40];
    for (int i = 0; i < 20; i++) {
      kept[2 * i] = 2 * i + 2;
      kept[2 * i + 1] = 2 * i + 1;
    }
    for (long seq : kept) {
      append(seq, text, List.of(), Set.of("r"), Set.of());
    }

    assertThat(log.after(10, (rooms, except) -> true)).extracting(RecoveryLog.Logged::seq)
        .isSorted().hasSize(30).first().isEqualTo(11L);

    log.dropOldest();
    assertThat(log.droppedSeq()).as("the oldest segment held 1 to 4, kept as 2, 1, 4, 3").isEqualTo(4);
    assertThat(log.after(4, (rooms, except) -> true)).extracting(RecoveryLog.Logged::seq)
        .isSorted().hasSize(36).first().isEqualTo(5L);
  }

  private void append(long seq, String text, List<byte[]> attachments, Set<String> rooms, Set<String> except) {
    ByteBuf buf = buffer(text);
    try {
      log.append(seq, seq * 1000, buf, attachments, rooms, except);
      assertThat(buf.readableBytes()).as("the packet's bytes are not consumed").isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    } finally {
      buf.release();
    }
  }

  private static ByteBuf buffer(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
  }
}
