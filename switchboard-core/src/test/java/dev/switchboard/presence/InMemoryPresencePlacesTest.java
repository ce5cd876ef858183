package dev.switchboard.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.presence.internal.InMemoryPresenceStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Places promised by {@link PresenceStore#reserve} in the single-node store. */
class InMemoryPresencePlacesTest {
  private static final Duration HOLD = Duration.ofMinutes(1);

  private static PresenceMember member(String id) {
    return new PresenceMember(id, Map.of());
  }

  @Test
  void placesAndPresentMembersCountTogetherUpToTheMost() {
    InMemoryPresenceStore store = new InMemoryPresenceStore();
    store.add("call:1", member("ada"), "s1");
    assertThat(store.reserve("call:1", "bob", 3, HOLD).join()).isTrue();
    assertThat(store.reserve("call:1", "cy", 3, HOLD).join()).isTrue();
    assertThat(store.reserve("call:1", "dan", 3, HOLD).join()).isFalse();
    // Present, or holding a place already: always yes.
    assertThat(store.reserve("call:1", "ada", 3, HOLD).join()).isTrue();
    assertThat(store.reserve("call:1", "bob", 3, HOLD).join()).isTrue();
  }

  @Test
  void arrivingGivesThePlaceUpSoLeavingFreesIt() {
    InMemoryPresenceStore store = new InMemoryPresenceStore();
    assertThat(store.reserve("call:1", "ada", 1, HOLD).join()).isTrue();
    store.add("call:1", member("ada"), "s1");
    assertThat(store.reserve("call:1", "bob", 1, HOLD).join()).isFalse();
    store.remove("call:1", "s1");
    assertThat(store.reserve("call:1", "bob", 1, HOLD).join()).isTrue();
  }

  @Test
  void aPlaceNobodyTakesLapses() {
    InMemoryPresenceStore store = new InMemoryPresenceStore();
    assertThat(store.reserve("call:1", "ada", 1, Duration.ZERO).join()).isTrue();
    assertThat(store.reserve("call:1", "bob", 1, HOLD).join()).isTrue();
    assertThat(store.reserve("call:1", "cy", 1, HOLD).join()).isFalse();
  }

  @Test
  void manyThreadsWantTheLastPlaceOnlyOneGetsIt() throws Exception {
    InMemoryPresenceStore store = new InMemoryPresenceStore();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 500; round++) {
        String room = "call:" + round;
        store.add(room, member("host"), "host-socket");
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<Boolean>> wants = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          String id = "guest-" + t;
          wants.add(pool.submit(() -> {
            start.await();
            CompletableFuture<Boolean> place = store.reserve(room, id, 2, HOLD);
            return place.join();
          }));
        }
        int granted = 0;
        for (Future<Boolean> want : wants) {
          granted += want.get() ? 1 : 0;
        }
        assertThat(granted).as("round %d", round).isEqualTo(1);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
