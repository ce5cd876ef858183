package dev.switchboard.auth.internal;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where verification keys come from. */
interface KeySource extends AutoCloseable {
  /**
   * The keys that may have signed a token with {@code header}. Completes at once when the keys
   * are in memory; later, off the calling thread, when they must be fetched first.
   */
  CompletableFuture<List<JWK>> candidates(JWSHeader header);

  @Override
  default void close() {}
}
