package dev.switchboard.auth;

import dev.switchboard.auth.internal.NimbusTokenVerifier;
import java.util.concurrent.CompletableFuture;

/**
 * Verifies JWTs. Verification against keys already in memory completes at once on the calling
 * thread; a token whose key must first be fetched (JWKS URL) completes later, on another thread.
 * Failures complete the future with an {@link AuthException}.
 */
public interface TokenVerifier extends AutoCloseable {
  CompletableFuture<VerifiedToken> verify(String token);

  /** Stops background key refreshing. */
  @Override
  void close();

  /** A verifier for {@code options} (nimbus-jose-jwt). Reads key files now; fetches a JWKS URL in the background. */
  static TokenVerifier create(AuthOptions options) {
    return NimbusTokenVerifier.create(options);
  }
}
