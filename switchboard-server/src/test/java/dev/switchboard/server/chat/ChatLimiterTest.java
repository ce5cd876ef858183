package dev.switchboard.server.chat;

import dev.switchboard.server.config.ChatLimits;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The limiter's bookkeeping on a clock the test moves. */
class ChatLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private void advance(Duration by) {
    now.addAndGet(by.toNanos());
  }

  @Test
  void theRateRefillsOverTheMinute() {
    ChatLimiter limiter = new ChatLimiter(new ChatLimits(3, 0), now::get);
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.admit("user:a")).isInstanceOf(ChatLimiter.Slot.class);
    }
    ChatLimiter.Admission refused = limiter.admit("user:a");
    assertThat(refused).isEqualTo(new ChatLimiter.Refusal("RATE_LIMITED", "at most 3 answers a minute", 20));
    advance(Duration.ofSeconds(20));
    assertThat(limiter.admit("user:a")).isInstanceOf(ChatLimiter.Slot.class);
    assertThat(limiter.admit("user:a")).isInstanceOf(ChatLimiter.Refusal.class);
    assertThat(limiter.admit("user:b")).as("another caller").isInstanceOf(ChatLimiter.Slot.class);
  }

  @Test
  void aReleasedSlotIsFreedOnce() {
    ChatLimiter limiter = new ChatLimiter(new ChatLimits(0, 1), now::get);
    ChatLimiter.Slot slot = (ChatLimiter.Slot) limiter.admit("ip:1");
    assertThat(limiter.admit("ip:1")).isInstanceOf(ChatLimiter.Refusal.class);
    slot.release();
    slot.release();
    ChatLimiter.Slot next = (ChatLimiter.Slot) limiter.admit("ip:1");
    assertThat(limiter.admit("ip:1")).as("the double release freed one place only").isInstanceOf(ChatLimiter.Refusal.class);
    next.release();
  }

  @Test
  void idleCallersAreForgottenAfterAMinute() {
    ChatLimiter limiter = new ChatLimiter(new ChatLimits(5, 2), now::get);
    ChatLimiter.Slot streaming = (ChatLimiter.Slot) limiter.admit("ip:streaming");
    for (int i = 0; i < 10_000; i++) {
      ((ChatLimiter.Slot) limiter.admit("ip:" + i)).release();
    }
    assertThat(limiter.callers()).isEqualTo(10_001);
    advance(Duration.ofSeconds(61));
    limiter.admit("ip:new");
    assertThat(limiter.callers()).as("the one still streaming, and the new one").isEqualTo(2);
    streaming.release();
  }
}
