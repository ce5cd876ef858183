package dev.switchboard.webrtc;

import dev.switchboard.webrtc.internal.HmacSha1;
import java.time.Instant;

/**
 * Mints TURN credentials in coturn's shared-secret scheme (the TURN REST API draft): the username
 * is {@code <expiry unix seconds>:<user id>} and the password base64(HMAC-SHA1(secret, username)),
 * which a coturn started with {@code use-auth-secret} and the same {@code static-auth-secret}
 * verifies on its own. Thread-safe.
 *
 * <pre>{@code
 * TurnCredentials turn = TurnCredentials.create(TurnOptions.of(secret, "turn:turn.example.com:3478"));
 * List<IceServer> iceServers = turn.mint("ada").iceServers();
 * }</pre>
 */
public final class TurnCredentials {
  private final TurnOptions options;
  private final HmacSha1 signer;

  private TurnCredentials(TurnOptions options) {
    this.options = options;
    this.signer = new HmacSha1(options.secrets().getFirst());
  }

  /** Credentials signed with the first of {@code options}' secrets; fails when none is configured. */
  public static TurnCredentials create(TurnOptions options) {
    if (!options.configured()) {
      throw new IllegalArgumentException("TURN is not configured: no secret");
    }
    return new TurnCredentials(options);
  }

  public TurnOptions options() {
    return options;
  }

  /**
   * A credential of {@code userId} valid for the configured TTL; {@link IllegalArgumentException}
   * for an empty id, one longer than {@link TurnOptions#MAX_USER_LENGTH} or with control characters.
   */
  public TurnCredential mint(String userId) {
    checkUser(userId);
    Instant now = options.clock().instant();
    long expiry = now.plus(options.ttl()).getEpochSecond();
    String username = expiry + ":" + userId;
    return new TurnCredential(username, signer.sign(username), options.ttl(), Instant.ofEpochSecond(expiry), options.urls());
  }

  /** Whether {@code userId} can name a credential's user: see {@link #mint}. */
  public static boolean validUser(String userId) {
    return !userId.isEmpty() && userId.length() <= TurnOptions.MAX_USER_LENGTH && userId.chars().noneMatch(Character::isISOControl);
  }

  private static void checkUser(String userId) {
    if (!validUser(userId)) {
      throw new IllegalArgumentException("a user id is 1 to " + TurnOptions.MAX_USER_LENGTH + " characters without control characters");
    }
  }
}
