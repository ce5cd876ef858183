package dev.switchboard.limits;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code perSecond}. Not thread-safe;
 * callers confine it to one thread or synchronize on it.
 */
public final class TokenBucket {
  private final double capacity;
  private final double tokensPerNano;
  private double tokens;
  private long lastNanos;

  public TokenBucket(RateLimit limit, long nowNanos) {
    this.capacity = limit.burst();
    this.tokensPerNano = limit.perSecond() / 1e9;
    this.tokens = capacity;
    this.lastNanos = nowNanos;
  }

  /** Takes one token if there is one. */
  public boolean tryTake(long nowNanos) {
    return tryTake(nowNanos, 1);
  }

  /** Takes {@code count} tokens if there are as many; takes none otherwise. */
  public boolean tryTake(long nowNanos, int count) {
    tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * tokensPerNano);
    lastNanos = nowNanos;
    if (tokens >= count) {
      tokens -= count;
      return true;
    }
    return false;
  }

  /** Whether the bucket is full again (its owner may be forgotten). */
  public boolean full(long nowNanos) {
    return tokens + (nowNanos - lastNanos) * tokensPerNano >= capacity;
  }
}
