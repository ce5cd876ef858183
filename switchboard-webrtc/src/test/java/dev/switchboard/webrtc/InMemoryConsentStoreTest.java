package dev.switchboard.webrtc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.ManualClock;
import dev.switchboard.webrtc.internal.InMemoryConsentStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryConsentStoreTest {
  @Test
  void keepsAnswersAndTheRecordingOfEachRoom() {
    ConsentStore store = new InMemoryConsentStore(Duration.ofHours(24), Clock.systemUTC());
    store.answer("call:1", "ada", true);
    store.answer("call:1", "bob", false);
    store.startRecording("call:1", "ada");
    assertThat(read(store, "call:1")).isEqualTo(new ConsentStore.Entry(Map.of("ada", true, "bob", false), Optional.of("ada")));
    assertThat(read(store, "call:2")).isEqualTo(new ConsentStore.Entry(Map.of(), Optional.empty()));
    store.forget("call:1", List.of("bob"));
    store.stopRecording("call:1");
    assertThat(read(store, "call:1")).isEqualTo(new ConsentStore.Entry(Map.of("ada", true), Optional.empty()));
  }

  @Test
  void aRoomUnchangedForTheRetentionIsForgotten() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-06T12:00:00Z"));
    ConsentStore store = new InMemoryConsentStore(Duration.ofHours(24), clock);
    store.answer("call:1", "ada", true);
    clock.advance(Duration.ofHours(23));
    store.answer("call:2", "bob", true);
    assertThat(read(store, "call:1").answers()).containsEntry("ada", true);
    clock.advance(Duration.ofHours(2));
    assertThat(read(store, "call:1").answers()).isEmpty();
    assertThat(read(store, "call:2").answers()).containsEntry("bob", true);
    store.answer("call:1", "carol", true);
    assertThat(read(store, "call:1").answers()).as("a new record, without the expired answers").isEqualTo(Map.of("carol", true));
  }

  private static ConsentStore.Entry read(ConsentStore store, String room) {
    return store.read(room).toCompletableFuture().join();
  }
}
