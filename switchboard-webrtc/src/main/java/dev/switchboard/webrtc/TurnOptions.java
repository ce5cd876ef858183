package dev.switchboard.webrtc;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How TURN credentials are minted, in coturn's shared-secret scheme ({@code use-auth-secret}):
 * the TURN server holds the same secrets ({@code static-auth-secret}) and checks each credential
 * itself, so nothing is stored anywhere.
 *
 * @param secrets the shared secrets: the first signs, the others are still accepted by a TURN
 *     server configured with all of them (rotation); none means TURN is not configured
 * @param urls the {@code stun:}, {@code turn:} and {@code turns:} URLs handed out with the
 *     credentials (for example {@code turn:turn.example.com:3478?transport=udp})
 * @param ttl how long a credential is valid; default {@link #DEFAULT_TTL}
 * @param clock the clock expiries are counted from; default {@link Clock#systemUTC()}
 */
public record TurnOptions(List<String> secrets, List<String> urls, Duration ttl, Clock clock) {
  /** One hour: a call outlives it only when the app fetches fresh credentials before an ICE restart. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(1);
  /** Longest user id a credential carries (the whole STUN username must stay under 513 bytes). */
  public static final int MAX_USER_LENGTH = 256;
  /** TURN not configured. */
  public static final TurnOptions NONE = new TurnOptions(List.of(), List.of(), DEFAULT_TTL, Clock.systemUTC());

  public TurnOptions {
    secrets = List.copyOf(secrets);
    urls = List.copyOf(urls);
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(clock, "clock");
    for (String secret : secrets) {
      if (secret.isBlank()) {
        throw new IllegalArgumentException("a TURN secret cannot be blank");
      }
    }
    for (String url : urls) {
      if (scheme(url).isEmpty()) {
        throw new IllegalArgumentException("'" + url + "' is not a stun:, stuns:, turn: or turns: URL");
      }
    }
    if (!secrets.isEmpty() && urls.stream().noneMatch(TurnOptions::isTurn)) {
      throw new IllegalArgumentException("TURN credentials need at least one turn: or turns: URL");
    }
    if (secrets.isEmpty() && urls.stream().anyMatch(TurnOptions::isTurn)) {
      throw new IllegalArgumentException("turn: and turns: URLs need a secret to sign credentials with");
    }
    if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("ttl must be at least 1 s");
    }
  }

  /** Options signing with {@code secret} and handing out {@code urls}, with the default TTL. */
  public static TurnOptions of(String secret, String... urls) {
    return builder().secrets(List.of(secret)).urls(List.of(urls)).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether credentials can be minted: a secret is set. */
  public boolean configured() {
    return !secrets.isEmpty();
  }

  public TurnOptions withSecrets(List<String> secrets) {
    return new TurnOptions(secrets, urls, ttl, clock);
  }

  public TurnOptions withUrls(List<String> urls) {
    return new TurnOptions(secrets, urls, ttl, clock);
  }

  public TurnOptions withTtl(Duration ttl) {
    return new TurnOptions(secrets, urls, ttl, clock);
  }

  /** The same options counting expiries from {@code clock} (a test sets it back to mint expired credentials). */
  public TurnOptions withClock(Clock clock) {
    return new TurnOptions(secrets, urls, ttl, clock);
  }

  static boolean isTurn(String url) {
    String scheme = scheme(url);
    return scheme.equals("turn") || scheme.equals("turns");
  }

  private static String scheme(String url) {
    int colon = url.indexOf(':');
    String scheme = colon <= 0 ? "" : url.substring(0, colon).toLowerCase(Locale.ROOT);
    boolean known = switch (scheme) {
      case "stun", "stuns", "turn", "turns" -> colon < url.length() - 1;
      default -> false;
    };
    return known ? scheme : "";
  }

  /** Builds {@link TurnOptions}; defaults: no secret, no URL, {@link #DEFAULT_TTL}, the system clock. */
  public static final class Builder {
    private final List<String> secrets = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private Duration ttl = DEFAULT_TTL;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** The shared secrets, the signing one first. */
    public Builder secrets(List<String> secrets) {
      this.secrets.clear();
      this.secrets.addAll(secrets);
      return this;
    }

    public Builder urls(List<String> urls) {
      this.urls.clear();
      this.urls.addAll(urls);
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = ttl;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public TurnOptions build() {
      return new TurnOptions(secrets, urls, ttl, clock);
    }
  }
}
