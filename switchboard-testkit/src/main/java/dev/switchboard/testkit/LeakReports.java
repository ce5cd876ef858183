package dev.switchboard.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * Collects the leak reports Netty's {@link ResourceLeakDetector} logs ("LEAK: ...") so that tests
 * can be failed on them. Netty only reports a leak when a later allocation finds the leaked
 * buffer collected, so {@link #surfacePending()} forces a collection and allocates.
 */
public final class LeakReports {
  private static final ConcurrentLinkedQueue<String> REPORTS = new ConcurrentLinkedQueue<>();
  private static volatile boolean installed;

  private LeakReports() {}

  /** Attaches the collecting appender to the detector's logger; idempotent. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    Logger logger = (Logger) LoggerFactory.getLogger(ResourceLeakDetector.class);
    if (logger.getEffectiveLevel().isGreaterOrEqual(Level.OFF)) {
      logger.setLevel(Level.ERROR);
    }
    AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (event.getLevel().isGreaterOrEqual(Level.ERROR) && message != null && message.contains("LEAK:")) {
          REPORTS.add(message);
        }
      }
    };
    appender.setName("netty-leak-collector");
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
    installed = true;
  }

  /** Whether Netty checks every buffer (the level the build runs tests with). */
  public static boolean paranoid() {
    return ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID;
  }

  /** Takes every report collected so far. */
  public static List<String> drain() {
    List<String> reports = new ArrayList<>();
    String report;
    while ((report = REPORTS.poll()) != null) {
      reports.add(report);
    }
    return reports;
  }

  /**
   * Makes Netty report buffers that became garbage without being released: runs a collection,
   * waits until a sentinel object of that collection has been enqueued (so the detector's own
   * references are too), then allocates so the detector looks at its queue.
   */
  public static void surfacePending() {
    for (int round = 0; round < 3; round++) {
      ReferenceQueue<Object> queue = new ReferenceQueue<>();
      WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
      try {
        for (int attempt = 0; attempt < 20 && queue.poll() == null; attempt++) {
          System.gc();
          if (queue.remove(50) != null) {
            break;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      sentinel.clear();
      for (int i = 0; i < 8; i++) {
        ByteBufAllocator.DEFAULT.buffer(16).release();
        ByteBufAllocator.DEFAULT.heapBuffer(16).release();
        UnpooledByteBufAllocator.DEFAULT.directBuffer(16).release();
      }
    }
  }
}
