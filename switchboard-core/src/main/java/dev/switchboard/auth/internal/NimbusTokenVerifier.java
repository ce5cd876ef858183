package dev.switchboard.auth.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.auth.AuthError;
import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.AuthOptions;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.auth.VerifiedToken;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TokenVerifier} on nimbus-jose-jwt: signature by a key fit for the algorithm, then the claims. */
public final class NimbusTokenVerifier implements TokenVerifier {
  private static final Logger log = LoggerFactory.getLogger(NimbusTokenVerifier.class);
  /** Longer tokens are refused before parsing. */
  static final int MAX_TOKEN_LENGTH = 16 * 1024;

  private final List<KeySource> sources;
  private final AuthOptions options;
  private final Clock clock;
  private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();
  /**
   * Where RS256 and ES256 signatures are checked: 50-200 µs each, too long for an event loop that
   * a burst of connections would stall. HMAC signatures take a few µs and are checked in place.
   */
  private final ExecutorService asymmetric;

  NimbusTokenVerifier(List<KeySource> sources, AuthOptions options, Clock clock) {
    this.sources = List.copyOf(sources);
    this.options = options;
    this.clock = clock;
    this.asymmetric = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
        Thread.ofPlatform().daemon().name("switchboard-jwt-", 1).factory());
  }

  public static NimbusTokenVerifier create(AuthOptions options) {
    return create(options, Clock.systemUTC());
  }

  public static NimbusTokenVerifier create(AuthOptions options, Clock clock) {
    List<JWK> known = new ArrayList<>();
    options.hmacSecret().ifPresent(secret -> {
      known.add(StaticKeys.secret(secret));
      warnOfShortSecret(options);
    });
    options.publicKeyPem().ifPresent(pem -> known.add(StaticKeys.publicKey(pem)));
    options.jwksFile().ifPresent(file -> known.addAll(StaticKeys.jwksFile(file)));
    List<KeySource> sources = new ArrayList<>();
    if (!known.isEmpty()) {
      sources.add(new StaticKeys(known));
    }
    options.jwksUrl().ifPresent(url ->
        sources.add(new RemoteJwks(url, options.jwksRefresh(), options.jwksMinRefetch(), options.jwksTimeout())));
    return new NimbusTokenVerifier(sources, options, clock);
  }

  @Override
  public CompletableFuture<VerifiedToken> verify(String token) {
    SignedJWT jwt;
    try {
      jwt = parse(token);
    } catch (AuthException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<List<JWK>> keys = CompletableFuture.completedFuture(List.of());
    for (KeySource source : sources) {
      CompletableFuture<List<JWK>> more = source.candidates(jwt.getHeader());
      keys = keys.thenCombine(more, (a, b) -> {
        List<JWK> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
      });
    }
    CompletableFuture<VerifiedToken> checked = isHmac(jwt)
        ? keys.thenApply(candidates -> check(jwt, candidates))
        : keys.thenApplyAsync(candidates -> check(jwt, candidates), asymmetric);
    return checked.exceptionallyCompose(error -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      return CompletableFuture.failedFuture(cause instanceof AuthException ? cause
          : new AuthException(AuthError.AUTH_UNAVAILABLE, "signing keys are unavailable"));
    });
  }

  /** A secret too short for HS384 or HS512 silently refuses their tokens: say so once, at start. */
  private static void warnOfShortSecret(AuthOptions options) {
    List<String> served = options.hmacAlgorithms();
    List<String> refused = List.of("HS256", "HS384", "HS512").stream().filter(alg -> !served.contains(alg)).toList();
    if (!refused.isEmpty()) {
      log.warn("The HMAC secret is {} bytes: it verifies {} tokens; {} tokens are refused"
          + " (HS384 needs a secret of at least 48 bytes, HS512 64)",
          options.hmacSecret().orElseThrow().getBytes(StandardCharsets.UTF_8).length, String.join(" and ", served), String.join(" and ", refused));
    }
  }

  private static boolean isHmac(SignedJWT jwt) {
    return JWSAlgorithm.Family.HMAC_SHA.contains(jwt.getHeader().getAlgorithm());
  }

  private static SignedJWT parse(String token) {
    if (token == null || token.isBlank()) {
      throw new AuthException(AuthError.AUTH_REQUIRED);
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new AuthException(AuthError.TOKEN_INVALID, "token is too long");
    }
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new AuthException(AuthError.TOKEN_INVALID, "token is not a signed JWT");
    }
    if (!KeyMatch.ACCEPTED.contains(jwt.getHeader().getAlgorithm())) {
      throw new AuthException(AuthError.TOKEN_INVALID, "algorithm " + jwt.getHeader().getAlgorithm() + " is not accepted");
    }
    return jwt;
  }

  private VerifiedToken check(SignedJWT jwt, List<JWK> candidates) {
    if (candidates.isEmpty()) {
      throw new AuthException(AuthError.TOKEN_INVALID, "no key to verify a " + jwt.getHeader().getAlgorithm() + " token"
          + (jwt.getHeader().getKeyID() == null ? "" : " with kid \"" + jwt.getHeader().getKeyID() + "\""));
    }
    if (!signedByOneOf(jwt, candidates)) {
      throw new AuthException(AuthError.TOKEN_INVALID, "token signature does not verify");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AuthException(AuthError.TOKEN_INVALID, "token claims are not a JSON object");
    }
    return checkClaims(claims);
  }

  private boolean signedByOneOf(SignedJWT jwt, List<JWK> candidates) {
    for (JWK key : candidates) {
      try {
        JWSVerifier verifier = verifiers.createJWSVerifier(jwt.getHeader(), Keys.toJavaKey(key));
        if (jwt.verify(verifier)) {
          return true;
        }
      } catch (JOSEException e) {
        // this key cannot verify this algorithm (e.g. a short secret for HS512): try the next
      }
    }
    return false;
  }

  private VerifiedToken checkClaims(JWTClaimsSet claims) {
    Instant now = clock.instant();
    Duration skew = options.clockSkew();
    Instant exp = claims.getExpirationTime() == null ? null : claims.getExpirationTime().toInstant();
    if (exp == null && options.requireExpiry()) {
      throw new AuthException(AuthError.TOKEN_INVALID, "token has no exp: tokens must expire");
    }
    if (exp != null && now.isAfter(exp.plus(skew))) {
      throw new AuthException(AuthError.TOKEN_EXPIRED, "token expired at " + exp);
    }
    Instant nbf = claims.getNotBeforeTime() == null ? null : claims.getNotBeforeTime().toInstant();
    if (nbf != null && now.plus(skew).isBefore(nbf)) {
      throw new AuthException(AuthError.TOKEN_NOT_YET_VALID, "token is valid from " + nbf);
    }
    if (options.issuer().filter(issuer -> !issuer.equals(claims.getIssuer())).isPresent()) {
      throw new AuthException(AuthError.WRONG_ISSUER);
    }
    if (options.audience().filter(audience -> claims.getAudience() == null || !claims.getAudience().contains(audience)).isPresent()) {
      throw new AuthException(AuthError.WRONG_AUDIENCE);
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new AuthException(AuthError.TOKEN_INVALID, "token has no sub");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    claims.toJSONObject().forEach((name, value) -> {
      if (value != null) {
        values.put(name, value);
      }
    });
    return new VerifiedToken(subject, values, Optional.ofNullable(exp));
  }

  @Override
  public void close() {
    sources.forEach(KeySource::close);
    asymmetric.shutdown();
  }
}
