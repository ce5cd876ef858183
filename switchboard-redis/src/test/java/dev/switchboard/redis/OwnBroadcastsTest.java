package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cluster.Stamp;
import dev.switchboard.history.StreamPosition;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** The publishing node's own kept broadcasts: each reaches its members once, whatever comes first. */
class OwnBroadcastsTest {
  private static final Stamp STAMP = new Stamp(Optional.of("lobby"), Optional.of(new StreamPosition("e", 1)),
      Optional.of("1-0"));

  @Test
  void aCopyAndAGiveUpRacingDeliverExactlyOnce() throws Exception {
    OwnBroadcasts own = new OwnBroadcasts();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    int heardFirst = 0;
    int gaveUpFirst = 0;
    try {
      for (int round = 0; round < 2000; round++) {
        long sequence = own.next();
        own.expect(sequence, OwnBroadcasts.WHOLE);
        CyclicBarrier start = new CyclicBarrier(2);
        CompletableFuture<Boolean> copy = CompletableFuture.supplyAsync(() -> {
          await(start);
          return own.heard(sequence, OwnBroadcasts.WHOLE, STAMP);
        }, threads);
        CompletableFuture<Optional<Stamp>> giveUp = CompletableFuture.supplyAsync(() -> {
          await(start);
          return own.giveUp(sequence, OwnBroadcasts.WHOLE);
        }, threads);
        boolean deliveredFromChannel = copy.join();
        boolean deliveredByItself = giveUp.join().isEmpty();
        assertThat(deliveredFromChannel ^ deliveredByItself).as("round %d: delivered once", round).isTrue();
        if (deliveredFromChannel) {
          heardFirst++;
          assertThat(giveUp.join()).as("the stamp of the copy that came").contains(STAMP);
        } else {
          gaveUpFirst++;
        }
        // A second copy of the same broadcast (another room's channel) follows the first.
        assertThat(own.heard(sequence, OwnBroadcasts.WHOLE, STAMP)).isEqualTo(deliveredFromChannel);
      }
    } finally {
      threads.shutdownNow();
    }
    System.out.printf("2000 races: the copy came first %d times, the give-up %d times%n", heardFirst, gaveUpFirst);
  }

  @Test
  void aCopyOfAnAnsweredBroadcastIsDeliveredAndNothingStaysBehind() {
    OwnBroadcasts own = new OwnBroadcasts();
    long sequence = own.next();
    own.expect(sequence, 0);
    own.expect(sequence, 1);
    assertThat(own.heard(sequence, 0, STAMP)).isTrue();
    own.settled(sequence, 0);
    own.settled(sequence, 1);
    assertThat(own.heard(sequence, 1, STAMP)).as("the answer came before the copy").isTrue();
    assertThat(own.size()).isZero();
  }

  @Test
  void onARedisClusterEachRoomsScriptIsGivenUpOnAlone() {
    OwnBroadcasts own = new OwnBroadcasts();
    long sequence = own.next();
    own.expect(sequence, 0);
    own.expect(sequence, 1);
    assertThat(own.heard(sequence, 0, STAMP)).isTrue();
    assertThat(own.giveUp(sequence, 0)).contains(STAMP);
    assertThat(own.giveUp(sequence, 1)).isEmpty();
    assertThat(own.heard(sequence, 1, STAMP)).as("a late copy of the room given up on").isFalse();
    assertThat(own.heard(sequence, 0, STAMP)).as("another copy of the room that was heard").isTrue();
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
