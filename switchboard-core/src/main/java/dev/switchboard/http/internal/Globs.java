package dev.switchboard.http.internal;

import java.util.regex.Pattern;

/** Name patterns where {@code *} matches any run of characters (room rules of history, presence, auth). */
public final class Globs {
  private Globs() {}

  /** {@code glob} as a regular expression: {@code *} matches any run of characters, everything else itself. */
  public static Pattern pattern(String glob) {
    StringBuilder regex = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
