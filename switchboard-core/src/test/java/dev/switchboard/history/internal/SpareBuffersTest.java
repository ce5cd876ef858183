package dev.switchboard.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.history.HistoryEntry;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.history.StreamPosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpareBuffersTest {
  @Test
  void aFullSizeChunkGivenBackIsHandedOutAgainCleared() {
    SpareBuffers spares = new SpareBuffers(1024, 2);
    ByteBuffer chunk = spares.take();
    assertThat(chunk.isDirect()).as("off the heap").isTrue();
    chunk.putInt(0, 42).position(8);
    spares.give(chunk);
    ByteBuffer again = spares.take();
    assertThat(again).isSameAs(chunk);
    assertThat(again.position()).isZero();
    assertThat(again.limit()).isEqualTo(1024);
  }

  @Test
  void onlyFullSizeDirectChunksAreKeptAndAtMostTheBound() {
    SpareBuffers spares = new SpareBuffers(1024, 2);
    spares.give(ByteBuffer.allocate(1024));
    spares.give(ByteBuffer.allocateDirect(512));
    ByteBuffer fresh = spares.take();
    assertThat(fresh.isDirect()).isTrue();
    assertThat(fresh.capacity()).isEqualTo(1024);
    List<ByteBuffer> three = List.of(fresh, spares.take(), spares.take());
    three.forEach(spares::give);
    assertThat(List.of(spares.take(), spares.take())).containsExactlyInAnyOrder(three.get(0), three.get(1));
    assertThat(spares.take()).as("the third was left to the collector").isNotSameAs(three.get(2));
  }

  @Test
  void roomsCyclingThroughSharedChunksReadBackTheirLastMessagesIntact() {
    InMemoryRoomHistory history = new InMemoryRoomHistory(List.of(new HistoryRule("*", 50, Duration.ofHours(1))),
        Clock.systemUTC());
    String epoch = "";
    for (int i = 0; i < 5_000; i++) {
      byte[] args = ("[\"message " + i + " of a room that keeps its last fifty\"]").getBytes(StandardCharsets.UTF_8);
      HistoryEntry entry = history.append("room-" + (i % 3), "chat", args, List.of()).orElseThrow();
      if (i == 1) {
        epoch = entry.position().epoch();
      }
    }
    HistoryPage page = history.since("room-1", new StreamPosition(epoch, 0), 100).join();
    assertThat(page.entries()).hasSize(50);
    for (int k = 0; k < 50; k++) {
      int i = 4_999 - 3 * 49 + 3 * k;
      assertThat(new String(page.entries().get(k).argsJson(), StandardCharsets.UTF_8))
          .isEqualTo("[\"message " + i + " of a room that keeps its last fifty\"]");
    }
  }
}
