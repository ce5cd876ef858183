package dev.switchboard.limits;

/**
 * A sustained rate with a burst allowance.
 *
 * @param perSecond tokens added per second
 * @param burst most tokens held, so most events accepted at once after a quiet spell
 */
public record RateLimit(double perSecond, int burst) {
  public RateLimit {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("a rate limit needs perSecond > 0 and burst >= 1");
    }
  }
}
