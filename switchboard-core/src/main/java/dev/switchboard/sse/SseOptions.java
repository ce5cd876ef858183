package dev.switchboard.sse;

import dev.switchboard.http.CorsOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link SseStream} behaves.
 *
 * @param retry the reconnection delay sent first, as {@code retry:}
 * @param heartbeat how often a comment line is sent to keep proxies from timing the stream out
 * @param maxPendingBytes outbound bytes that may wait for a slow client before the stream is cut
 * @param cors cross-origin rules; {@link CorsOptions#DISABLED} sends no CORS headers
 */
public record SseOptions(Duration retry, Duration heartbeat, int maxPendingBytes, CorsOptions cors) {
  /** Retry 3 s, heartbeat 30 s, 1 MiB budget, no CORS. */
  public static final SseOptions DEFAULTS = new SseOptions(Duration.ofSeconds(3), Duration.ofSeconds(30), 1 << 20, CorsOptions.DISABLED);

  public SseOptions {
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(cors, "cors");
    if (retry.isNegative() || heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("retry must be >= 0 and heartbeat > 0");
    }
    if (maxPendingBytes <= 0) {
      throw new IllegalArgumentException("maxPendingBytes must be positive");
    }
  }

  public SseOptions withRetry(Duration retry) {
    return new SseOptions(retry, heartbeat, maxPendingBytes, cors);
  }

  public SseOptions withHeartbeat(Duration heartbeat) {
    return new SseOptions(retry, heartbeat, maxPendingBytes, cors);
  }

  public SseOptions withMaxPendingBytes(int maxPendingBytes) {
    return new SseOptions(retry, heartbeat, maxPendingBytes, cors);
  }

  public SseOptions withCors(CorsOptions cors) {
    return new SseOptions(retry, heartbeat, maxPendingBytes, cors);
  }
}
