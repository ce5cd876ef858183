package dev.switchboard.server.logging;

import java.util.regex.Pattern;

/**
 * What never reaches a log line whatever code logs it: anything shaped like a JWT (three base64url
 * parts, the first one a JSON header) and the password of a URI ({@code redis://:secret@host}).
 * A safety net under the rule that tokens, secrets and keys are not logged in the first place.
 */
public final class Redaction {
  /** A JWS or JWE compact serialization: its header always starts <code>{"</code> and so {@code eyJ}. */
  private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_.-]*");
  /** The user info of a URI with a scheme: {@code scheme://user:password@}, or a password alone. */
  private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");

  private Redaction() {}

  public static String redact(String text) {
    if (text == null || (text.indexOf("eyJ") < 0 && text.indexOf('@') < 0)) {
      return text;
    }
    String out = JWT.matcher(text).replaceAll("[redacted token]");
    return USER_INFO.matcher(out).replaceAll("$1[redacted]@");
  }
}
