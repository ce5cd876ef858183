package dev.switchboard.server.chat;

import dev.switchboard.server.config.ChatLimits;
import dev.switchboard.limits.RateLimit;
import dev.switchboard.limits.TokenBucket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Admits chat answers per caller: at most {@link ChatLimits#perMinute()} started a minute (a
 * token bucket holding a minute's worth) and {@link ChatLimits#maxStreams()} streaming at once.
 * Callers that stream nothing and whose bucket is full again are forgotten, so the state held is
 * bounded by the callers of the last minute.
 */
final class ChatLimiter {
  private static final long SWEEP_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

  /** What {@link #admit} answers. */
  sealed interface Admission permits Slot, Refusal {}

  /** Why an answer was not started: a stable code, and when to try again (seconds, 0 for unknown). */
  record Refusal(String code, String message, long retryAfterSeconds) implements Admission {}

  /** A started answer's place; give it back with {@link #release} when the answer ends. */
  static final class Slot implements Admission {
    private final ChatLimiter limiter;
    private final Caller caller;
    private final AtomicBoolean released = new AtomicBoolean();

    private Slot(ChatLimiter limiter, Caller caller) {
      this.limiter = limiter;
      this.caller = caller;
    }

    /** Frees the place; later calls do nothing. */
    void release() {
      if (released.compareAndSet(false, true)) {
        limiter.release(caller);
      }
    }
  }

  private static final class Caller {
    final TokenBucket bucket;
    int streams;

    Caller(TokenBucket bucket) {
      this.bucket = bucket;
    }
  }

  private final ChatLimits limits;
  private final RateLimit rate;
  private final LongSupplier nanos;
  private final Map<String, Caller> callers = new HashMap<>();
  private long lastSweep;

  ChatLimiter(ChatLimits limits, LongSupplier nanos) {
    this.limits = limits;
    this.rate = limits.perMinute() == 0 ? null : new RateLimit(limits.perMinute() / 60.0, limits.perMinute());
    this.nanos = nanos;
    this.lastSweep = nanos.getAsLong();
  }

  /** A slot for one answer of {@code caller}, or the refusal; never blocks. */
  synchronized Admission admit(String caller) {
    long now = nanos.getAsLong();
    sweep(now);
    Caller state = callers.computeIfAbsent(caller, key -> new Caller(rate == null ? null : new TokenBucket(rate, now)));
    if (limits.maxStreams() > 0 && state.streams >= limits.maxStreams()) {
      return new Refusal("TOO_MANY_STREAMS", "at most " + limits.maxStreams()
          + " answers may stream at once; wait for one to end", 0);
    }
    if (state.bucket != null && !state.bucket.tryTake(now)) {
      return new Refusal("RATE_LIMITED", "at most " + limits.perMinute() + " answers a minute",
          (long) Math.ceil(60.0 / limits.perMinute()));
    }
    state.streams++;
    return new Slot(this, state);
  }

  /** Callers currently remembered. */
  synchronized int callers() {
    return callers.size();
  }

  private synchronized void release(Caller caller) {
    caller.streams--;
  }

  private void sweep(long now) {
    if (now - lastSweep < SWEEP_EVERY_NANOS) {
      return;
    }
    lastSweep = now;
    for (Iterator<Caller> it = callers.values().iterator(); it.hasNext(); ) {
      Caller caller = it.next();
      if (caller.streams == 0 && (caller.bucket == null || caller.bucket.full(now))) {
        it.remove();
      }
    }
  }
}
