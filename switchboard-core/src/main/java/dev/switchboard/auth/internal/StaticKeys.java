package dev.switchboard.auth.internal;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Keys known at start: an HMAC secret, a PEM public key, a JWKS file. */
final class StaticKeys implements KeySource {
  private final List<JWK> keys;

  StaticKeys(List<JWK> keys) {
    this.keys = List.copyOf(keys);
  }

  @Override
  public CompletableFuture<List<JWK>> candidates(JWSHeader header) {
    return CompletableFuture.completedFuture(KeyMatch.select(keys, header));
  }

  static JWK secret(String secret) {
    return new OctetSequenceKey.Builder(secret.getBytes(StandardCharsets.UTF_8)).build();
  }

  /** An RSA or EC public key from PEM text ({@code -----BEGIN PUBLIC KEY-----}). */
  static JWK publicKey(String pem) {
    String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
    byte[] der;
    try {
      der = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the public key is not PEM (-----BEGIN PUBLIC KEY-----)", e);
    }
    for (String algorithm : List.of("RSA", "EC")) {
      try {
        PublicKey key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        if (key instanceof RSAPublicKey rsa) {
          return new RSAKey.Builder(rsa).build();
        }
        if (key instanceof ECPublicKey ec) {
          return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
        }
      } catch (GeneralSecurityException e) {
        // try the next type
      }
    }
    throw new IllegalArgumentException("the public key is neither an RSA nor an EC key");
  }

  static List<JWK> jwksFile(Path file) {
    try {
      return JWKSet.parse(Files.readString(file)).getKeys();
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read JWKS file " + file + ": " + e.getMessage(), e);
    } catch (ParseException e) {
      throw new IllegalArgumentException("JWKS file " + file + " is not a JSON Web Key Set: " + e.getMessage(), e);
    }
  }
}
