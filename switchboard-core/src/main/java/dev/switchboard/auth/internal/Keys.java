package dev.switchboard.auth.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.security.Key;

/** JWK to JCA key, the form nimbus's verifier factory takes. */
final class Keys {
  private Keys() {}

  static Key toJavaKey(JWK jwk) throws JOSEException {
    if (jwk instanceof OctetSequenceKey oct) {
      return oct.toSecretKey();
    }
    if (jwk instanceof AsymmetricJWK asymmetric) {
      return asymmetric.toPublicKey();
    }
    throw new JOSEException("unsupported key type " + jwk.getKeyType());
  }
}
