package dev.switchboard.webrtc.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * base64(HMAC-SHA1(secret, text)), the password of coturn's shared-secret scheme. One keyed
 * {@link Mac} per thread: initialising a Mac costs more than signing a username with it.
 */
public final class HmacSha1 {
  private static final String ALGORITHM = "HmacSHA1";

  private final ThreadLocal<Mac> macs;

  public HmacSha1(String secret) {
    SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.macs = ThreadLocal.withInitial(() -> keyed(key));
    keyed(key);
  }

  public String sign(String text) {
    return Base64.getEncoder().encodeToString(macs.get().doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static Mac keyed(SecretKeySpec key) {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA1 is unavailable in this JVM", e);
    }
  }
}
