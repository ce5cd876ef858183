package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * What an HMAC secret can verify depends on its length (HS256 32 bytes, HS384 48, HS512 64), and
 * {@link AuthOptions#hmacAlgorithms()} says exactly what verification does; a token without
 * {@code exp} is refused unless allowed.
 */
class TokenExpiryAndSecretLengthTest {
  private static final List<JWSAlgorithm> HMAC = List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);

  /**
   * Signs with javax.crypto, which takes a key of any length (the JOSE signer refuses a secret
   * shorter than the hash, as the verifier does).
   */
  private static String signWithAnyLength(JWSAlgorithm alg, String secret, JWTClaimsSet claims) {
    Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
    String input = base64.encodeToString(("{\"alg\":\"" + alg.getName() + "\",\"typ\":\"JWT\"}").getBytes(StandardCharsets.UTF_8))
        + "." + base64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA" + alg.getName().substring(2));
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), mac.getAlgorithm()));
      return input + "." + base64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  private static String secret(int bytes) {
    return "s".repeat(bytes);
  }

  @Test
  void theAlgorithmsASecretServesAreTheOnesThatVerify() {
    for (int bytes : List.of(32, 47, 48, 63, 64, 100)) {
      String secret = secret(bytes);
      AuthOptions options = TokenVerifierTest.options().hmacSecret(secret).build();
      try (TokenVerifier verifier = TokenVerifier.create(options)) {
        List<String> verified = HMAC.stream().filter(alg -> {
          String token = signWithAnyLength(alg, secret, TokenVerifierTest.claims().build());
          return verifier.verify(token).handle((ok, error) -> error == null).join();
        }).map(JWSAlgorithm::getName).toList();
        assertThat(options.hmacAlgorithms()).as("%d bytes", bytes).isEqualTo(verified);
      }
    }
    assertThat(TokenVerifierTest.options().hmacSecret(secret(47)).build().hmacAlgorithms()).containsExactly("HS256");
    assertThat(TokenVerifierTest.options().hmacSecret(secret(48)).build().hmacAlgorithms()).containsExactly("HS256", "HS384");
    assertThat(TokenVerifierTest.options().hmacSecret(secret(64)).build().hmacAlgorithms()).containsExactly("HS256", "HS384", "HS512");
  }

  @Test
  void aTokenWithoutExpiryIsInvalidUnlessAllowed() {
    String secret = secret(32);
    JWTClaimsSet claims = TokenVerifierTest.claims().expirationTime(null).build();
    String token = TokenVerifierTest.hs(JWSAlgorithm.HS256, secret, claims);
    try (TokenVerifier strict = TokenVerifier.create(TokenVerifierTest.options().hmacSecret(secret).build())) {
      assertThat(TokenVerifierTest.refusal(strict, token)).isEqualTo(AuthError.TOKEN_INVALID);
    }
    try (TokenVerifier lenient = TokenVerifier.create(TokenVerifierTest.options().hmacSecret(secret).requireExpiry(false).build())) {
      VerifiedToken verified = lenient.verify(token).join();
      assertThat(verified.subject()).isEqualTo("ada");
      assertThat(verified.expiry()).isEmpty();
    }
  }
}
