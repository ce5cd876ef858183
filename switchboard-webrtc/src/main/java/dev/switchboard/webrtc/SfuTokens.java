package dev.switchboard.webrtc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.auth.VerifiedToken;
import dev.switchboard.webrtc.internal.GrantRules;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;

/**
 * Mints short-lived, participant-scoped SFU access tokens in LiveKit's format: a JWT signed HS256
 * with the API secret, {@code iss} = API key, {@code sub} = the user id, {@code name}, {@code nbf},
 * {@code exp} and the {@code video} grant of one room. Whether the user may be in the room at all
 * is the caller's decision; this class only applies the grant rules. Thread-safe.
 */
public final class SfuTokens {
  private final SfuOptions options;
  private final GrantRules rules;
  private final MACSigner signer;

  private SfuTokens(SfuOptions options) {
    this.options = options;
    this.rules = new GrantRules(options.grants());
    try {
      this.signer = new MACSigner(options.apiSecret().getBytes(StandardCharsets.UTF_8));
    } catch (JOSEException e) {
      throw new IllegalArgumentException("the SFU API secret cannot sign HS256: " + e.getMessage(), e);
    }
  }

  /** Tokens signed with {@code options}' key; fails when none is configured. */
  public static SfuTokens create(SfuOptions options) {
    if (!options.configured()) {
      throw new IllegalArgumentException("SFU tokens are not configured: no API key");
    }
    return new SfuTokens(options);
  }

  public SfuOptions options() {
    return options;
  }

  /**
   * What {@code user} may do in {@code room} by the grant rules; {@link SfuGrant#roomRecord()}
   * says whether they may ask for a recording token.
   */
  public SfuGrant grant(VerifiedToken user, String room) {
    return rules.grant(user, room);
  }

  /** A token admitting {@code user} to {@code room} with exactly {@code grant}, valid for the configured TTL. */
  public SfuToken mint(VerifiedToken user, String room, SfuGrant grant) {
    Instant now = options.clock().instant();
    Instant notBefore = Instant.ofEpochSecond(now.getEpochSecond());
    Instant expiresAt = Instant.ofEpochSecond(now.plus(options.ttl()).getEpochSecond());
    String name = user.claim("name").filter(String.class::isInstance).map(String.class::cast).orElse(user.subject());
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(options.apiKey())
        .subject(user.subject())
        .notBeforeTime(Date.from(notBefore))
        .expirationTime(Date.from(expiresAt))
        .claim("name", name)
        .claim("video", grant.toVideoClaim(room))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("an SFU token could not be signed", e);
    }
    return new SfuToken(jwt.serialize(), room, grant, expiresAt);
  }
}
