package dev.switchboard.spring;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** HS256 tokens of the tests' secret, and Spring Security's decoder of them. */
public final class Tokens {
  public static final String SECRET = "spring-starter-test-secret-0123456789";

  private Tokens() {}

  public static String token(String subject, Duration lifetime) {
    return token(subject, lifetime, SECRET);
  }

  public static String token(String subject, Duration lifetime, String secret) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(subject)
          .claim("name", subject.toUpperCase()).expirationTime(Date.from(Instant.now().plus(lifetime))).build());
      jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public static JwtDecoder decoder() {
    return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256")).build();
  }
}
