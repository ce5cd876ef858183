package dev.switchboard.bench.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The kernel's clock ticks per second ({@code getconf CLK_TCK}), the unit of /proc CPU times. */
final class ClockTicks {
  private static final long FALLBACK = 100;

  private ClockTicks() {}

  static long perSecond() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
        return Long.parseLong(out);
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to the value every Linux on x86 and arm uses
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return FALLBACK;
  }
}
