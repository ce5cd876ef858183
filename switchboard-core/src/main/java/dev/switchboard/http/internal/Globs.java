package dev.switchboard.http.internal;

import java.util.function.Predicate;
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

  /**
   * Whether a name matches {@code glob}, as {@link #pattern} does it, without a regular expression
   * for the common shapes ({@code *}, {@code name}, {@code prefix*}, {@code *suffix}): rules are
   * matched on every kept publish and join, where a regex match costs more than the rest of the
   * lookup.
   */
  public static Predicate<String> matcher(String glob) {
    int first = glob.indexOf('*');
    if (first < 0) {
      return glob::equals;
    }
    if (glob.equals("*")) {
      return name -> true;
    }
    if (first == glob.length() - 1) {
      String prefix = glob.substring(0, first);
      return name -> name.startsWith(prefix);
    }
    if (first == 0 && glob.indexOf('*', 1) < 0) {
      String suffix = glob.substring(1);
      return name -> name.endsWith(suffix);
    }
    Pattern pattern = pattern(glob);
    return name -> pattern.matcher(name).matches();
  }
}
