package dev.switchboard.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.auth.internal.NimbusTokenVerifier;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenVerifierTest {
  static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
  static final RSAKey RSA = generateRsa("rsa-1");
  static final ECKey EC = generateEc("ec-1");

  static RSAKey generateRsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static ECKey generateEc(String kid) {
    try {
      return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().subject("ada").issuer("https://issuer.example").audience("switchboard")
        .expirationTime(Date.from(now.plusSeconds(300))).issueTime(Date.from(now)).claim("name", "Ada")
        .claim("documents", List.of("1", "2"));
  }

  static String sign(JWSAlgorithm alg, String kid, JWSSigner signer, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String hs(JWSAlgorithm alg, String secret, JWTClaimsSet claims) {
    try {
      return sign(alg, null, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), claims);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String rs(RSAKey key, JWTClaimsSet claims) {
    try {
      return sign(JWSAlgorithm.RS256, key.getKeyID(), new RSASSASigner(key), claims);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String es(ECKey key, JWTClaimsSet claims) {
    try {
      return sign(JWSAlgorithm.ES256, key.getKeyID(), new ECDSASigner(key), claims);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String pem(java.security.PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
  }

  static AuthOptions.Builder options() {
    return AuthOptions.builder().issuer("https://issuer.example").audience("switchboard").clockSkew(Duration.ZERO);
  }

  static AuthError refusal(TokenVerifier verifier, String token) {
    try {
      verifier.verify(token).join();
    } catch (CompletionException e) {
      assertThat(e.getCause()).isInstanceOf(AuthException.class);
      return ((AuthException) e.getCause()).error();
    }
    throw new AssertionError("token was accepted: " + token);
  }

  @Test
  void everyHmacAlgorithm() {
    try (TokenVerifier verifier = TokenVerifier.create(options().hmacSecret(SECRET).build())) {
      for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
        VerifiedToken token = verifier.verify(hs(alg, SECRET, claims().build())).join();
        assertThat(token.subject()).isEqualTo("ada");
        assertThat(token.claimHas("documents", "2")).isTrue();
        assertThat(token.publicInfo(List.of("name", "documents", "sub"))).containsExactlyEntriesOf(java.util.Map.of("name", "Ada"));
        assertThat(token.expiry().orElseThrow()).isAfter(Instant.now());
      }
    }
  }

  @Test
  void rs256AndEs256FromPemKeys() throws Exception {
    try (TokenVerifier rsa = TokenVerifier.create(options().publicKeyPem(pem(RSA.toPublicKey())).build());
        TokenVerifier ec = TokenVerifier.create(options().publicKeyPem(pem(EC.toPublicKey())).build())) {
      assertThat(rsa.verify(rs(RSA, claims().build())).join().subject()).isEqualTo("ada");
      assertThat(ec.verify(es(EC, claims().build())).join().subject()).isEqualTo("ada");
      assertThat(refusal(rsa, es(EC, claims().build()))).isEqualTo(AuthError.TOKEN_INVALID);
      assertThat(refusal(ec, rs(RSA, claims().build()))).isEqualTo(AuthError.TOKEN_INVALID);
    }
  }

  @Test
  void asymmetricSignaturesAreCheckedOffTheCallingThreadAndHmacOnesInPlace() throws Exception {
    List<String> checkedOn = new CopyOnWriteArrayList<>();
    Clock recording = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        checkedOn.add(Thread.currentThread().getName());
        return Instant.now();
      }
    };
    AuthOptions options = options().hmacSecret(SECRET).publicKeyPem(pem(RSA.toPublicKey())).build();
    try (TokenVerifier verifier = NimbusTokenVerifier.create(options, recording)) {
      var hmac = verifier.verify(hs(JWSAlgorithm.HS256, SECRET, claims().build()));
      assertThat(hmac).isCompleted();
      assertThat(verifier.verify(rs(RSA, claims().build())).join().subject()).isEqualTo("ada");
    }
    assertThat(checkedOn).hasSize(2);
    assertThat(checkedOn.get(0)).isEqualTo(Thread.currentThread().getName());
    assertThat(checkedOn.get(1)).startsWith("switchboard-jwt-");
  }

  @Test
  void forgedTokensAreRefused() throws Exception {
    try (TokenVerifier verifier = TokenVerifier.create(options().hmacSecret(SECRET).publicKeyPem(pem(RSA.toPublicKey())).build())) {
      String good = hs(JWSAlgorithm.HS256, SECRET, claims().build());
      String[] parts = good.split("\\.");
      String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8))
          + "." + parts[1] + ".";
      assertThat(refusal(verifier, none)).isEqualTo(AuthError.TOKEN_INVALID);
      assertThat(refusal(verifier, hs(JWSAlgorithm.HS256, SECRET.replace('0', 'x'), claims().build()))).isEqualTo(AuthError.TOKEN_INVALID);
      assertThat(refusal(verifier, rs(generateRsa("rsa-1"), claims().build()))).isEqualTo(AuthError.TOKEN_INVALID);
      String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
          claims().subject("root").build().toString().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
      assertThat(refusal(verifier, tampered)).isEqualTo(AuthError.TOKEN_INVALID);
      assertThat(refusal(verifier, "a.b")).isEqualTo(AuthError.TOKEN_INVALID);
      assertThat(refusal(verifier, "")).isEqualTo(AuthError.AUTH_REQUIRED);
      assertThat(refusal(verifier, hs(JWSAlgorithm.HS256, SECRET, claims().subject(null).build()))).isEqualTo(AuthError.TOKEN_INVALID);
    }
  }

  @Test
  void hmacTokenSignedWithThePublicKeyIsNotAcceptedByAnRsaVerifier() throws Exception {
    String publicPem = pem(RSA.toPublicKey());
    try (TokenVerifier verifier = TokenVerifier.create(options().publicKeyPem(publicPem).build())) {
      // The classic confusion attack: HMAC keyed with the bytes of the server's public key.
      String forged = hs(JWSAlgorithm.HS256, publicPem, claims().build());
      String forgedDer = sign(JWSAlgorithm.HS256, null, new MACSigner(RSA.toPublicKey().getEncoded()), claims().build());
      assertThat(refusal(verifier, forged)).isEqualTo(AuthError.TOKEN_INVALID);
      assertThat(refusal(verifier, forgedDer)).isEqualTo(AuthError.TOKEN_INVALID);
    }
  }

  @Test
  void timeAudienceAndIssuerClaims() {
    Instant now = Instant.now();
    try (TokenVerifier verifier = TokenVerifier.create(options().hmacSecret(SECRET).build());
        TokenVerifier lenient = TokenVerifier.create(options().hmacSecret(SECRET).clockSkew(Duration.ofSeconds(60)).build())) {
      String expired = hs(JWSAlgorithm.HS256, SECRET, claims().expirationTime(Date.from(now.minusSeconds(30))).build());
      String early = hs(JWSAlgorithm.HS256, SECRET, claims().notBeforeTime(Date.from(now.plusSeconds(30))).build());
      assertThat(refusal(verifier, expired)).isEqualTo(AuthError.TOKEN_EXPIRED);
      assertThat(refusal(verifier, early)).isEqualTo(AuthError.TOKEN_NOT_YET_VALID);
      assertThat(lenient.verify(expired).join().subject()).isEqualTo("ada");
      assertThat(lenient.verify(early).join().subject()).isEqualTo("ada");
      assertThat(refusal(verifier, hs(JWSAlgorithm.HS256, SECRET, claims().audience("other").build()))).isEqualTo(AuthError.WRONG_AUDIENCE);
      assertThat(refusal(verifier, hs(JWSAlgorithm.HS256, SECRET, claims().audience((String) null).build()))).isEqualTo(AuthError.WRONG_AUDIENCE);
      assertThat(refusal(verifier, hs(JWSAlgorithm.HS256, SECRET, claims().issuer("https://evil.example").build()))).isEqualTo(AuthError.WRONG_ISSUER);
    }
  }

  @Test
  void shortSecretsAndMissingKeysAreConfigurationErrors() {
    assertThatThrownBy(() -> AuthOptions.builder().hmacSecret("short").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AuthOptions.builder().build()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jwksFile(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("jwks.json"), new JWKSet(List.of(RSA.toPublicJWK(), EC.toPublicJWK())).toString());
    try (TokenVerifier verifier = TokenVerifier.create(options().jwksFile(file).build())) {
      assertThat(verifier.verify(rs(RSA, claims().build())).join().subject()).isEqualTo("ada");
      assertThat(verifier.verify(es(EC, claims().build())).join().subject()).isEqualTo("ada");
      assertThat(refusal(verifier, rs(generateRsa("rsa-2"), claims().build()))).isEqualTo(AuthError.TOKEN_INVALID);
    }
  }

  @Test
  void jwksUrlRotationRefetchesOnAnUnknownKidAtMostOncePerInterval() throws Exception {
    RSAKey first = generateRsa("k1");
    RSAKey second = generateRsa("k2");
    RSAKey third = generateRsa("k3");
    AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(first.toPublicJWK()));
    AtomicInteger fetches = new AtomicInteger();
    HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jwks.createContext("/jwks", exchange -> {
      fetches.incrementAndGet();
      byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    jwks.start();
    URI url = URI.create("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks");
    try (TokenVerifier verifier = TokenVerifier.create(options().jwksUrl(url).jwksRefresh(Duration.ofHours(1))
        .jwksMinRefetch(Duration.ofMillis(800)).build())) {
      assertThat(verifier.verify(rs(first, claims().build())).get().subject()).isEqualTo("ada");
      await().atMost(Duration.ofSeconds(5)).until(() -> fetches.get() >= 1);
      int afterStart = fetches.get();
      // Rotation: the issuer publishes k2; a token with kid k2 triggers a refetch.
      published.set(new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())));
      await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() ->
          assertThat(verifier.verify(rs(second, claims().build())).get().subject()).isEqualTo("ada"));
      assertThat(fetches.get()).isEqualTo(afterStart + 1);
      // Within the interval an unknown kid does not fetch again.
      published.set(new JWKSet(List.of(second.toPublicJWK(), third.toPublicJWK())));
      assertThat(refusal(verifier, rs(third, claims().build()))).isEqualTo(AuthError.TOKEN_INVALID);
      assertThat(fetches.get()).isEqualTo(afterStart + 1);
      // After it, it does; the retired k1 is then refused.
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().untilAsserted(() ->
          assertThat(verifier.verify(rs(third, claims().build())).get().subject()).isEqualTo("ada"));
      assertThat(refusal(verifier, rs(first, claims().build()))).isEqualTo(AuthError.TOKEN_INVALID);
    } finally {
      jwks.stop(0);
    }
  }

  @Test
  void unreachableJwksUrlIsAuthUnavailable() throws Exception {
    HttpServer down = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    down.createContext("/jwks", exchange -> {
      exchange.sendResponseHeaders(503, -1);
      exchange.close();
    });
    down.start();
    URI url = URI.create("http://127.0.0.1:" + down.getAddress().getPort() + "/jwks");
    try (TokenVerifier verifier = TokenVerifier.create(options().jwksUrl(url).jwksMinRefetch(Duration.ZERO).build())) {
      assertThat(refusal(verifier, rs(RSA, claims().build()))).isEqualTo(AuthError.AUTH_UNAVAILABLE);
    } finally {
      down.stop(0);
    }
  }
}
