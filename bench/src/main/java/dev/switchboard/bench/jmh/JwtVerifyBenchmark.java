package dev.switchboard.bench.jmh;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.auth.AuthOptions;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.auth.VerifiedToken;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One complete token verification as the handshake does it (parse, key selection, signature,
 * claims): HS256 with a shared secret and RS256 (2048-bit) with a PEM public key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JwtVerifyBenchmark {
  private static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef";

  private TokenVerifier hmac;
  private TokenVerifier rsa;
  private String hs256;
  private String rs256;

  @Setup
  public void setup() throws Exception {
    RSAKey key = new RSAKeyGenerator(2048).generate();
    JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("ada").issuer("https://issuer.example")
        .audience("switchboard").expirationTime(Date.from(Instant.now().plusSeconds(3600))).claim("name", "Ada").build();
    SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    hs.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    hs256 = hs.serialize();
    SignedJWT rs = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
    rs.sign(new RSASSASigner(key));
    rs256 = rs.serialize();
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(key.toPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    hmac = TokenVerifier.create(AuthOptions.builder().hmacSecret(SECRET).issuer("https://issuer.example").audience("switchboard").build());
    rsa = TokenVerifier.create(AuthOptions.builder().publicKeyPem(pem).issuer("https://issuer.example").audience("switchboard").build());
  }

  @TearDown
  public void tearDown() {
    hmac.close();
    rsa.close();
  }

  @Benchmark
  public VerifiedToken hs256() {
    return hmac.verify(hs256).join();
  }

  @Benchmark
  public VerifiedToken rs256() {
    return rsa.verify(rs256).join();
  }
}
