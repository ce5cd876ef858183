package dev.switchboard.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopFlusherTest {
  private final DefaultEventLoop loop = new DefaultEventLoop();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private LoopFlusher.Target target(String name) {
    return new LoopFlusher.Target() {
      @Override
      public void flushNow() {
        events.add("flush " + name);
      }

      @Override
      public EventExecutor executor() {
        return loop;
      }
    };
  }

  @Test
  void targetsMarkedInOneTaskAreFlushedTogetherAfterTheTasksAlreadyQueued() throws Exception {
    LoopFlusher.Target a = target("a");
    LoopFlusher.Target b = target("b");
    loop.submit(() -> {
      loop.execute(() -> events.add("queued before"));
      LoopFlusher.mark(a, 0);
      LoopFlusher.mark(b, 0);
      events.add("marked");
    }).sync();
    loop.submit(() -> { }).sync();
    assertThat(events).containsExactly("marked", "queued before", "flush a", "flush b");
  }

  @Test
  void aWriteDelayNeitherHoldsBackNorIsCutShortByWhatFlushesAtOnce() throws Exception {
    LoopFlusher.Target delayed = target("delayed");
    LoopFlusher.Target atOnce = target("at once");
    loop.submit(() -> {
      LoopFlusher.mark(delayed, TimeUnit.MILLISECONDS.toNanos(200));
      LoopFlusher.mark(atOnce, 0);
    }).sync();
    loop.submit(() -> { }).sync();
    assertThat(events).containsExactly("flush at once");
    Thread.sleep(400);
    loop.submit(() -> { }).sync();
    assertThat(events).containsExactly("flush at once", "flush delayed");
  }
}
