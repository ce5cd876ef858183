package dev.switchboard.bench.scenario;

import java.util.concurrent.TimeUnit;

/** Sleeps for a number of seconds, keeping the interrupt flag. */
final class Sleep {
  private Sleep() {}

  static void seconds(double seconds) {
    try {
      TimeUnit.NANOSECONDS.sleep((long) (seconds * 1e9));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
