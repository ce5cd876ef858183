package dev.switchboard.webrtc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.auth.VerifiedToken;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SfuTokensTest {
  private static final String KEY = "APIkey123";
  private static final String SECRET = "a-livekit-api-secret-of-32-bytes-at-least";
  private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
  private static final VerifiedToken ADA = new VerifiedToken("ada", Map.of("sub", "ada", "name", "Ada L.", "role", "speaker"));
  private static final VerifiedToken BOB = new VerifiedToken("bob", Map.of("sub", "bob"));

  private final SfuOptions options = SfuOptions.of(KEY, SECRET).withClock(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aTokenIsAnHs256JwtWithLiveKitsClaims() throws Exception {
    SfuTokens tokens = SfuTokens.create(options);
    SfuToken token = tokens.mint(ADA, "call:42", tokens.grant(ADA, "call:42").withRoomRecord(false));
    SignedJWT jwt = SignedJWT.parse(token.token());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(KEY);
    assertThat(claims.getSubject()).isEqualTo("ada");
    assertThat(claims.getStringClaim("name")).isEqualTo("Ada L.");
    assertThat(claims.getNotBeforeTime()).isEqualTo(Date.from(NOW));
    assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plus(Duration.ofMinutes(10))));
    assertThat(claims.getJSONObjectClaim("video")).isEqualTo(Map.of("room", "call:42", "roomJoin", true,
        "canPublish", true, "canSubscribe", true, "canPublishData", true));
    assertThat(token.expiresAt()).isEqualTo(NOW.plus(SfuOptions.DEFAULT_TTL));
    assertThat(token.toJson()).isEqualTo(Map.of("token", token.token(), "expiresAt", NOW.plus(Duration.ofMinutes(10)).toEpochMilli()));
    assertThat(SfuTokens.create(options).mint(BOB, "call:42", SfuGrant.PARTICIPANT).token()).contains(".");
  }

  @Test
  void theRecordingGrantIsInTheTokenOnlyWhenGiven() throws Exception {
    SfuTokens tokens = SfuTokens.create(options.withTtl(Duration.ofMinutes(2)));
    SfuToken token = tokens.mint(ADA, "call:42", new SfuGrant(true, true, true, true));
    JWTClaimsSet claims = SignedJWT.parse(token.token()).getJWTClaimsSet();
    assertThat(claims.getJSONObjectClaim("video")).containsEntry("roomRecord", true);
    assertThat(claims.getExpirationTime()).isEqualTo(Date.from(NOW.plus(Duration.ofMinutes(2))));
  }

  @Test
  void grantRulesDecideByTheFirstMatchingRoomPattern() {
    List<SfuGrantRule> rules = SfuGrantRule.parse("""
        [
          {"room": "call:stage-{id}", "publish": {"role": "speaker"}, "record": {"hosts": "{id}"}},
          {"room": "call:webinar-*", "publish": false},
          {"room": "call:own-{sub}", "publishData": false}
        ]""");
    SfuTokens tokens = SfuTokens.create(options.withGrants(rules));
    assertThat(tokens.grant(ADA, "call:stage-7")).isEqualTo(new SfuGrant(true, true, true, false));
    assertThat(tokens.grant(BOB, "call:stage-7")).isEqualTo(new SfuGrant(false, true, false, false));
    VerifiedToken host = new VerifiedToken("carol", Map.of("sub", "carol", "hosts", List.of("7", "8")));
    assertThat(tokens.grant(host, "call:stage-7").roomRecord()).isTrue();
    assertThat(tokens.grant(ADA, "call:webinar-1")).isEqualTo(new SfuGrant(false, true, false, false));
    assertThat(tokens.grant(ADA, "call:own-ada")).isEqualTo(new SfuGrant(true, true, false, true));
    assertThat(tokens.grant(BOB, "call:own-ada")).isEqualTo(new SfuGrant(true, true, true, true));
    assertThat(tokens.grant(BOB, "call:plain")).isEqualTo(new SfuGrant(true, true, true, true));
    assertThat(SfuGrantRule.viewersOnly("call:x").publish()).isEmpty();
  }

  @Test
  void badOptionsAndRulesAreRefused() {
    assertThatThrownBy(() -> SfuOptions.of(KEY, "short")).hasMessageContaining("at least 32 bytes");
    assertThatThrownBy(() -> SfuOptions.of(KEY, "")).hasMessageContaining("go together");
    assertThatThrownBy(() -> SfuTokens.create(SfuOptions.NONE)).hasMessageContaining("not configured");
    assertThatThrownBy(() -> SfuGrantRule.parse("{}")).hasMessageContaining("JSON array");
    assertThatThrownBy(() -> SfuGrantRule.parse("[{\"publish\": true}]")).hasMessageContaining("\"room\" pattern");
    assertThatThrownBy(() -> SfuGrantRule.parse("[{\"room\": \"x\", \"publish\": 3}]")).hasMessageContaining("true, false or");
    assertThatThrownBy(() -> SfuGrantRule.parse("not json")).hasMessageContaining("not JSON");
  }
}
