package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Shows that a leaked buffer is seen by the detector and fails the class that leaked it. */
class LeakDetectionSelfTest {
  private static final String MARKER = "deliberately-leaked-by-LeakDetectionSelfTest";

  @Test
  void the_build_runs_with_paranoid_leak_detection() {
    assertThat(LeakReports.paranoid()).isTrue();
  }

  @Test
  void a_leaked_buffer_fails_the_class_that_leaked_it() {
    LeakReports.surfacePending();
    assertThat(LeakReports.drain()).as("leaks reported before this test").isEmpty();

    Leaky.enabled = true;
    EngineExecutionResults results;
    try {
      results = EngineTestKit.engine("junit-jupiter")
          .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
          .selectors(selectClass(Leaky.class))
          .execute();
    } finally {
      Leaky.enabled = false;
    }

    // The test method itself passes: the leak only surfaces after a garbage collection...
    results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1).failed(0));
    // ...which the extension forces after the class, failing the class with Netty's report.
    results.containerEvents().assertThatEvents().haveExactly(1,
        event(container(Leaky.class),
            finishedWithFailure(message(m -> m.contains("LEAK:") && m.contains(MARKER)))));
    // The report was consumed by the failed class: it does not spill over onto this one.
    assertThat(LeakReports.drain()).isEmpty();
  }

  /** Run only through the test kit above. */
  static class Leaky {
    static volatile boolean enabled;

    @Test
    void leaks_a_buffer() {
      assumeTrue(enabled);
      ByteBuf buffer = UnpooledByteBufAllocator.DEFAULT.directBuffer(8);
      buffer.writeLong(42).touch(MARKER);
      // never released
    }
  }
}
