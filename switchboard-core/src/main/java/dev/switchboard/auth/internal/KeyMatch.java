package dev.switchboard.auth.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.List;
import java.util.Set;

/**
 * Which keys may verify which algorithm. The key type is bound to the algorithm family, so an
 * HS token is never checked against an RSA or EC key (algorithm confusion), and {@code none}
 * is never accepted.
 */
final class KeyMatch {
  static final Set<JWSAlgorithm> ACCEPTED = Set.of(
      JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512, JWSAlgorithm.RS256, JWSAlgorithm.ES256);

  private KeyMatch() {}

  /** The keys of {@code keys} fit for {@code header}'s algorithm and, when both name one, its {@code kid}. */
  static List<JWK> select(List<JWK> keys, JWSHeader header) {
    String kid = header.getKeyID();
    return keys.stream()
        .filter(key -> fits(key, header.getAlgorithm()))
        .filter(key -> kid == null || key.getKeyID() == null || kid.equals(key.getKeyID()))
        .toList();
  }

  /** Whether some key of {@code keys} names {@code kid}. */
  static boolean knows(List<JWK> keys, String kid) {
    return keys.stream().anyMatch(key -> kid.equals(key.getKeyID()));
  }

  static boolean fits(JWK key, JWSAlgorithm alg) {
    if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
      return false;
    }
    if (key.getAlgorithm() != null && !key.getAlgorithm().equals(alg)) {
      return false;
    }
    if (JWSAlgorithm.Family.HMAC_SHA.contains(alg)) {
      return key instanceof OctetSequenceKey;
    }
    if (JWSAlgorithm.RS256.equals(alg)) {
      return key instanceof RSAKey;
    }
    if (JWSAlgorithm.ES256.equals(alg)) {
      return key instanceof ECKey ec && Curve.P_256.equals(ec.getCurve());
    }
    return false;
  }
}
