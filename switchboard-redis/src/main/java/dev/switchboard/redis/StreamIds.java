package dev.switchboard.redis;

import java.util.regex.Pattern;

/** Stream entry ids ({@code <ms or µs>-<n>}) as recovery offsets: checked, and compared in stream order. */
final class StreamIds {
  private static final Pattern ID = Pattern.compile("\\d{1,18}-\\d{1,18}");

  private StreamIds() {}

  static boolean valid(String id) {
    return ID.matcher(id).matches();
  }

  /** Negative, zero or positive as {@code a} comes before, is, or comes after {@code b} in a stream. */
  static int compare(String a, String b) {
    int dashA = a.indexOf('-');
    int dashB = b.indexOf('-');
    int byTime = Long.compare(Long.parseLong(a.substring(0, dashA)), Long.parseLong(b.substring(0, dashB)));
    return byTime != 0 ? byTime
        : Long.compare(Long.parseLong(a.substring(dashA + 1)), Long.parseLong(b.substring(dashB + 1)));
  }
}
