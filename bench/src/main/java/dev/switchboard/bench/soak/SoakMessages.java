package dev.switchboard.bench.soak;

/**
 * The soak's numbered messages: {@code {"t":<due nanoTime>,"n":<number in its room>}}, read back
 * from the raw {@code 42["msg",{...}]} packets the stayers receive.
 */
public final class SoakMessages {
  private static final String NUMBER_KEY = "\"n\":";
  public static final String MESSAGE_PREFIX = "42[\"msg\"";

  private SoakMessages() {}

  public static String payload(long dueNanos, int number) {
    return "{\"t\":" + dueNanos + ",\"n\":" + number + "}";
  }

  /** The message number a packet carries, or -1 when it carries none. */
  public static int number(String packet) {
    int at = packet.indexOf(NUMBER_KEY);
    if (at < 0) {
      return -1;
    }
    int value = 0;
    int start = at + NUMBER_KEY.length();
    int i = start;
    for (; i < packet.length(); i++) {
      char c = packet.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
    }
    return i == start ? -1 : value;
  }
}
