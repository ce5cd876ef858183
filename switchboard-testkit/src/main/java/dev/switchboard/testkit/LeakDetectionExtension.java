package dev.switchboard.testkit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test, or its class, when Netty reports a leaked buffer. Registered for every test
 * class through the service loader; tests run with {@code io.netty.leakDetection.level=paranoid}.
 * Reports that surface after a test (they need a garbage collection) fail the class instead.
 */
public final class LeakDetectionExtension implements AfterEachCallback, AfterAllCallback {
  static {
    LeakReports.install();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    failOnReports("test " + context.getDisplayName());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    LeakReports.surfacePending();
    failOnReports("class " + context.getRequiredTestClass().getName());
  }

  private static void failOnReports(String where) {
    List<String> reports = LeakReports.drain();
    if (!reports.isEmpty()) {
      throw new AssertionError("Netty reported " + reports.size() + " leaked buffer(s) during " + where + ":\n"
          + String.join("\n\n", reports));
    }
  }
}
