package dev.switchboard.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Turns spread over a window: one in each equal slot, in random order. */
class SpreadTest {
  private final SplittableRandom random = new SplittableRandom();

  @RepeatedTest(20)
  void everySlotOfTheWindowHoldsExactlyOneTurn() {
    int count = 1 + random.nextInt(500);
    Duration window = Duration.ofMillis(1 + random.nextInt(20_000));
    long[] delays = Spread.delays(count, window, random);
    assertThat(delays).hasSize(count);
    long[] sorted = delays.clone();
    Arrays.sort(sorted);
    double slot = (double) window.toNanos() / count;
    for (int i = 0; i < count; i++) {
      assertThat((double) sorted[i]).as("turn %d of %d", i, count).isBetween(i * slot - 1, (i + 1) * slot + 1);
    }
  }

  @Test
  void turnsAreDealtInRandomOrder() {
    long[] delays = Spread.delays(1000, Duration.ofSeconds(10), random);
    int rising = 0;
    for (int i = 1; i < delays.length; i++) {
      if (delays[i] > delays[i - 1]) {
        rising++;
      }
    }
    // In slot order every step would rise; shuffled, about half do.
    assertThat(rising).isBetween(400, 600);
  }

  @Test
  void aZeroWindowOrNoTurnIsAllAtOnce() {
    assertThat(Spread.delays(5, Duration.ZERO, random)).containsOnly(0L);
    assertThat(Spread.delays(0, Duration.ofSeconds(1), random)).isEmpty();
  }

  @RepeatedTest(10)
  void aJitteredDelayStaysWithinHalfOfItsBase() {
    Duration jittered = Spread.jittered(Duration.ofSeconds(1), random);
    assertThat(jittered).isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
  }
}
