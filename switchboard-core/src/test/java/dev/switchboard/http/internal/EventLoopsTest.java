package dev.switchboard.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.netty.channel.DefaultEventLoop;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopsTest {
  private final DefaultEventLoop loop = new DefaultEventLoop();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static void record(EventLoopsTest test, String what, String where) {
    test.events.add(what + " " + where);
  }

  private void recordHere(String what) {
    events.add(what + (loop.inEventLoop() ? " on the loop" : " elsewhere"));
  }

  @Test
  void onTheLoopTheTaskRunsAtOnceAheadOfWhatIsQueued() throws Exception {
    loop.submit(() -> {
      loop.execute(() -> events.add("queued"));
      EventLoops.runOn(loop, () -> events.add("plain"));
      EventLoops.runOn(loop, EventLoopsTest::record, this, "owned", "task");
      EventLoops.runOn(loop, EventLoopsTest::recordHere, this, "one argument");
      EventLoops.runOnWhileUp(loop, () -> events.add("while up"));
    }).sync();
    loop.submit(() -> { }).sync();
    assertThat(events).containsExactly("plain", "owned task", "one argument on the loop", "while up", "queued");
  }

  @Test
  void fromElsewhereTheTasksRunOnTheLoopInOrder() throws Exception {
    EventLoops.runOn(loop, () -> events.add("plain"));
    EventLoops.runOn(loop, EventLoopsTest::record, this, "owned", "task");
    EventLoops.runOn(loop, EventLoopsTest::recordHere, this, "one argument");
    EventLoops.runOnWhileUp(loop, () -> events.add("while up"));
    loop.submit(() -> { }).sync();
    assertThat(events).containsExactly("plain", "owned task", "one argument on the loop", "while up");
  }

  @Test
  void aStoppedLoopDropsWhatOnlyMattersWhileItRuns() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    assertThatCode(() -> EventLoops.runOnWhileUp(loop, () -> events.add("dropped"))).doesNotThrowAnyException();
    assertThatCode(() -> SlowConsumerCut.closeLater(loop, () -> events.add("dropped"))).doesNotThrowAnyException();
    assertThat(events).isEmpty();
  }

  @Test
  void overTheBudgetIsMoreThanIt() {
    assertThat(SlowConsumerCut.over(100, 100)).isFalse();
    assertThat(SlowConsumerCut.over(101, 100)).isTrue();
  }
}
