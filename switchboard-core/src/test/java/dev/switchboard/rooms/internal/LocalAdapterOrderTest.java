package dev.switchboard.rooms.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The order a broadcast holds while it takes its place ({@link LocalAdapter#order}) is that of the
 * loops it concerns: broadcasts to rooms served by other loops never wait for it, one to a room
 * it shares does, a loop that a join makes concerned while the broadcast waits is held too, and a
 * read in total order waits for every broadcast taking its place.
 */
@Timeout(30)
class LocalAdapterOrderTest {
  private final DefaultEventLoop loopA = new DefaultEventLoop();
  private final DefaultEventLoop loopB = new DefaultEventLoop();
  private final LocalAdapter<Member> adapter = new LocalAdapter<>(Member.class, new DeliveryCounts());

  private record Member(String id, EventExecutor executor) implements RoomMember {
    @Override
    public void deliver(OutboundBroadcast message, boolean volatileDelivery) {}
  }

  @AfterEach
  void stop() {
    loopA.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    loopB.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }

  @Test
  void broadcastsConcerningOtherLoopsDoNotWaitAndOnesSharingALoopDo() throws Exception {
    join(new Member("a", loopA), "on-a");
    join(new Member("b", loopB), "on-b");
    join(new Member("a2", loopA), "on-both");
    join(new Member("b2", loopB), "on-both");

    Held held = hold(target("on-a"));
    try {
      adapter.order(target("on-b")).close();
      adapter.order(target("nobody-here")).close();

      Waiting sharing = waitFor(() -> adapter.order(target("on-both")).close());
      Waiting total = waitFor(() -> adapter.inTotalOrder(() -> null));
      held.release();
      sharing.done().get(5, TimeUnit.SECONDS);
      total.done().get(5, TimeUnit.SECONDS);
    } finally {
      held.release();
    }
  }

  @Test
  void aBroadcastConcerningNoLoopIsOrderedWithTheOthersThatConcernNone() throws Exception {
    join(new Member("a", loopA), "on-a");
    Held held = hold(target("nobody-here"));
    try {
      adapter.order(target("on-a")).close();
      Waiting other = waitFor(() -> adapter.order(target("nobody-either")).close());
      Waiting total = waitFor(() -> adapter.inTotalOrder(() -> null));
      held.release();
      other.done().get(5, TimeUnit.SECONDS);
      total.done().get(5, TimeUnit.SECONDS);
    } finally {
      held.release();
    }
  }

  @Test
  void aLoopConcernedByAJoinQueuedWhileWaitingForTheOrderIsHeldToo() throws Exception {
    join(new Member("a", loopA), "r");
    Member b = new Member("b", loopB);
    join(b, "on-b");
    Held held = hold(target("r"));
    CountDownLatch taken = new CountDownLatch(1);
    CountDownLatch close = new CountDownLatch(1);
    Waiting waiting = waitFor(() -> {
      try (LocalAdapter.Order order = adapter.order(target("r"))) {
        taken.countDown();
        close.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });

    // Loop B is busy: the join is queued there, and until it has run every broadcast concerns B.
    CountDownLatch busy = new CountDownLatch(1);
    loopB.execute(() -> {
      try {
        busy.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    try {
      adapter.changeRooms(b, () -> adapter.join(b, "r"));
      held.release();
      taken.await();
      Waiting onB = waitFor(() -> adapter.order(target("on-b")).close());
      close.countDown();
      onB.done().get(5, TimeUnit.SECONDS);
      waiting.done().get(5, TimeUnit.SECONDS);
    } finally {
      close.countDown();
      busy.countDown();
    }
  }

  private void join(Member member, String room) throws Exception {
    member.executor().submit(() -> {
      adapter.add(member);
      adapter.join(member, room);
    }).get(5, TimeUnit.SECONDS);
  }

  private static BroadcastTarget target(String room) {
    return new BroadcastTarget(Set.of(room), Set.of(), true, false);
  }

  /** A thread holding the order of {@code target} until released. */
  private record Held(CountDownLatch released) {
    void release() {
      released.countDown();
    }
  }

  private Held hold(BroadcastTarget target) throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    Thread.ofPlatform().start(() -> {
      try (LocalAdapter.Order order = adapter.order(target)) {
        holding.countDown();
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    holding.await();
    return new Held(released);
  }

  /** A thread running {@code step}, seen parked waiting for an order and not done. */
  private record Waiting(CompletableFuture<Void> done) {}

  private static Waiting waitFor(Runnable step) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread thread = Thread.ofPlatform().start(() -> {
      step.run();
      done.complete(null);
    });
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(1))
        .until(() -> done.isDone() || thread.getState() == Thread.State.WAITING);
    assertThat(done).as("waits for the order held").isNotDone();
    return new Waiting(done);
  }
}
