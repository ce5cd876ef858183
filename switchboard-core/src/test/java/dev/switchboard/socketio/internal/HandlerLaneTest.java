package dev.switchboard.socketio.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A lane runs its tasks one at a time in the order offered, on virtual threads, whether the
 * offers come while it drains or just as it goes idle (the race at the end of a drain), and
 * refuses past its capacity.
 */
class HandlerLaneTest {
  private static final Executor VIRTUAL = task -> Thread.ofVirtual().start(task);

  @RepeatedTest(200)
  void tasksRunOneAtATimeInOfferOrderAcrossIdleAndBusyTurns() throws Exception {
    HandlerLane lane = new HandlerLane(VIRTUAL, Integer.MAX_VALUE);
    int tasks = 500;
    List<Integer> ran = new ArrayList<>();
    AtomicBoolean busy = new AtomicBoolean();
    AtomicInteger overlaps = new AtomicInteger();
    CountDownLatch done = new CountDownLatch(tasks);
    for (int i = 0; i < tasks; i++) {
      int n = i;
      Runnable task = () -> {
        if (!busy.compareAndSet(false, true)) {
          overlaps.incrementAndGet();
        }
        ran.add(n);
        busy.set(false);
        done.countDown();
      };
      if (n % 7 == 0) {
        lane.force(task);
      } else {
        assertThat(lane.offer(task)).isTrue();
      }
      // Now and then let the lane run dry, so the next offer meets it going idle.
      if (ThreadLocalRandom.current().nextInt(16) == 0) {
        Thread.onSpinWait();
        Thread.yield();
      }
    }
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(overlaps).hasValue(0);
    assertThat(ran).isEqualTo(java.util.stream.IntStream.range(0, tasks).boxed().toList());
    // The last task counted down just before the lane counted it done.
    org.awaitility.Awaitility.await().until(() -> lane.backlog() == 0);
  }

  @Test
  void offersPastTheCapacityAreRefusedUntilTheLaneCatchesUp() throws Exception {
    HandlerLane lane = new HandlerLane(VIRTUAL, 3);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch ran = new CountDownLatch(3);
    Runnable blocked = () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ran.countDown();
    };
    assertThat(lane.offer(blocked)).isTrue();
    assertThat(lane.offer(ran::countDown)).isTrue();
    assertThat(lane.offer(ran::countDown)).isTrue();
    assertThat(lane.offer(ran::countDown)).as("a fourth waiting handler").isFalse();
    lane.force(() -> { });
    assertThat(lane.backlog()).isEqualTo(4);
    release.countDown();
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    org.awaitility.Awaitility.await().until(() -> lane.backlog() == 0);
    assertThat(lane.offer(() -> { })).isTrue();
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheLane() throws Exception {
    HandlerLane lane = new HandlerLane(VIRTUAL, 10);
    CountDownLatch after = new CountDownLatch(1);
    lane.offer(() -> {
      throw new IllegalStateException("a bug in a handler");
    });
    lane.offer(after::countDown);
    assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
