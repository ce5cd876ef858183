package dev.switchboard.webrtc;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How SFU access tokens are minted: LiveKit-compatible JWTs (HS256) signed with the SFU's API key
 * and secret.
 *
 * @param apiKey the API key, the tokens' {@code iss}; empty means SFU tokens are not configured
 * @param apiSecret the API secret the SFU verifies with: at least 32 bytes
 * @param ttl how long a token is valid; default {@link #DEFAULT_TTL}
 * @param grants who gets which grant, the first rule matching the room deciding; a room no rule
 *     matches gives every participant every grant (default: no rules)
 * @param clock the clock {@code nbf} and {@code exp} are counted from; default {@link Clock#systemUTC()}
 */
public record SfuOptions(String apiKey, String apiSecret, Duration ttl, List<SfuGrantRule> grants, Clock clock) {
  /** Ten minutes: enough to join; a participant already in the room stays after it lapses. */
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
  /** Shortest API secret accepted, in bytes (HS256's key size). */
  public static final int MIN_SECRET_BYTES = 32;
  /** SFU tokens not configured. */
  public static final SfuOptions NONE = new SfuOptions("", "", DEFAULT_TTL, List.of(), Clock.systemUTC());

  public SfuOptions {
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(apiSecret, "apiSecret");
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(clock, "clock");
    grants = List.copyOf(grants);
    if (apiKey.isEmpty() != apiSecret.isEmpty()) {
      throw new IllegalArgumentException("an SFU API key and its secret go together");
    }
    if (!apiSecret.isEmpty() && apiSecret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("the SFU API secret must be at least " + MIN_SECRET_BYTES + " bytes");
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("ttl must be at least 1 s");
    }
  }

  /** Options signing with {@code apiKey} and {@code apiSecret}, with the default TTL and no grant rules. */
  public static SfuOptions of(String apiKey, String apiSecret) {
    return new SfuOptions(apiKey, apiSecret, DEFAULT_TTL, List.of(), Clock.systemUTC());
  }

  /** Whether tokens can be minted: an API key is set. */
  public boolean configured() {
    return !apiKey.isEmpty();
  }

  public SfuOptions withTtl(Duration ttl) {
    return new SfuOptions(apiKey, apiSecret, ttl, grants, clock);
  }

  public SfuOptions withGrants(List<SfuGrantRule> grants) {
    return new SfuOptions(apiKey, apiSecret, ttl, grants, clock);
  }

  public SfuOptions withClock(Clock clock) {
    return new SfuOptions(apiKey, apiSecret, ttl, grants, clock);
  }
}
