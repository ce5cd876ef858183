package dev.switchboard.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hung Redis (stopped, or busy in a long command) is an outage too: when a command times out,
 * the connections to a Redis that does not answer now are dropped, so that commands fail at once
 * until it answers again, and Lettuce makes them again as after an outage. Commands sent on a
 * dropped connection fail with it and are never sent again.
 */
final class StallWatch {
  private static final Logger log = LoggerFactory.getLogger(StallWatch.class);

  private final ScheduledExecutorService timer;
  private final Duration timeout;
  private final StalledConnections connections;
  private final ConnectionWatch watch;
  /** Set while a timed-out command's Redis is being checked, so that one stall is handled once. */
  private final AtomicBoolean checking = new AtomicBoolean();
  /** When connections were last dropped ({@link System#nanoTime}): commands sent before went with them. */
  private volatile long lastDrop = System.nanoTime();

  StallWatch(ScheduledExecutorService timer, Duration timeout, StalledConnections connections, ConnectionWatch watch) {
    this.timer = timer;
    this.timeout = timeout;
    this.connections = connections;
    this.watch = watch;
  }

  /** A command sent at {@code sentAt} ({@link System#nanoTime}) failed with {@code error}: a timeout on a connection not dropped since is a stall. */
  void failed(Throwable error, long sentAt) {
    boolean timedOut = error instanceof RedisCommandTimeoutException
        || error instanceof CompletionException && error.getCause() instanceof RedisCommandTimeoutException;
    if (timedOut && sentAt - lastDrop > 0) {
      stalled();
    }
  }

  private void stalled() {
    if (!checking.compareAndSet(false, true)) {
      return;
    }
    try {
      timer.execute(() -> connections.dropStalled(timeout, this::dropping).whenComplete((done, error) -> checking.set(false)));
    } catch (RejectedExecutionException e) {
      checking.set(false);
    }
  }

  private void dropping(String redis) {
    log.warn("{} did not answer within {} ms: handled as an outage, its connections are made again", redis, timeout.toMillis());
    lastDrop = System.nanoTime();
    watch.lost();
  }
}
