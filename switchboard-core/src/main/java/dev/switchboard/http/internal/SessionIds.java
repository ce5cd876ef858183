package dev.switchboard.http.internal;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable identifiers: 15 random bytes as 20 URL-safe base64 characters. */
public final class SessionIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

  private SessionIds() {}

  public static String next() {
    byte[] bytes = new byte[15];
    RANDOM.nextBytes(bytes);
    return ENCODER.encodeToString(bytes);
  }
}
