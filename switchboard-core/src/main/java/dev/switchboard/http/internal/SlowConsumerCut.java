package dev.switchboard.http.internal;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cut of a slow consumer: a connection whose client reads too slowly to keep the bytes waiting
 * for it within their budget is closed, never buffered without end. The caller stops writing to it
 * at once; the close runs in a loop task of its own, because the write that found out may be in
 * the middle of a broadcast iterating the room the connection would leave.
 */
public final class SlowConsumerCut {
  private static final Logger log = LoggerFactory.getLogger(SlowConsumerCut.class);

  private SlowConsumerCut() {}

  /** Whether {@code waitingBytes}, the bytes a client has yet to read, go over its {@code budget}. */
  public static boolean over(long waitingBytes, long budget) {
    return waitingBytes > budget;
  }

  /**
   * Cuts the connection {@code who}: counts it in {@code traffic}, logs why ({@code description}),
   * then {@link #closeLater closes it later} with {@code close}.
   */
  public static void cut(Traffic traffic, EventExecutor loop, Object who, String description, Runnable close) {
    traffic.slowConsumerCut();
    log.info("{}: closed as a slow consumer ({})", who, description);
    closeLater(loop, close);
  }

  /**
   * Runs {@code close} on {@code loop} after the task in progress; dropped when the loop has stopped,
   * which closes the connection anyway.
   */
  public static void closeLater(EventExecutor loop, Runnable close) {
    try {
      loop.execute(close);
    } catch (RejectedExecutionException e) {
      log.debug("slow consumer on a stopped event loop: closed with it");
    }
  }
}
