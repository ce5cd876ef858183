package dev.switchboard.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hung Redis (stopped, or busy in a long command) is an outage too: when a command times out
 * and nothing came from that Redis while it waited, its connections are dropped, so that commands
 * fail at once until it answers again, and Lettuce makes them again as after an outage. Commands
 * sent on a dropped connection fail with it and are never sent again. A Redis that answers late,
 * or a node too busy to read it in time, keeps its connections: only the commands that timed out
 * failed.
 */
final class StallWatch implements StalledConnections.Verdicts {
  private static final Logger log = LoggerFactory.getLogger(StallWatch.class);
  /** A Redis found slow but not hung is logged at most this often. */
  private static final long SLOW_LOG_EVERY = TimeUnit.MINUTES.toNanos(1);

  private final ScheduledExecutorService timer;
  private final Duration timeout;
  private final StalledConnections connections;
  private final ConnectionWatch watch;
  /** Set while a timed-out command's Redis is being checked, so that one stall is handled once. */
  private final AtomicBoolean checking = new AtomicBoolean();
  /** When connections were last dropped ({@link System#nanoTime}): commands sent before went with them. */
  private volatile long lastDrop = System.nanoTime();
  /**
   * When a slow Redis was last logged ({@link System#nanoTime}); on a cluster the masters' verdicts
   * may come at once, and two of them logging together is harmless.
   */
  private volatile long lastSlowLog = System.nanoTime() - SLOW_LOG_EVERY;

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
      stalled(sentAt);
    }
  }

  private void stalled(long sentAt) {
    if (!checking.compareAndSet(false, true)) {
      return;
    }
    try {
      timer.execute(() -> connections.dropStalled(timeout, sentAt, this).whenComplete((done, error) -> checking.set(false)));
    } catch (RejectedExecutionException e) {
      checking.set(false);
    }
  }

  @Override
  public void dropping(String redis) {
    log.warn("{} did not answer within {} ms and sent nothing meanwhile: handled as an outage, its connections are "
        + "made again", redis, timeout.toMillis());
    lastDrop = System.nanoTime();
    watch.lost();
  }

  @Override
  public void slow(String redis) {
    long now = System.nanoTime();
    if (now - lastSlowLog >= SLOW_LOG_EVERY) {
      lastSlowLog = now;
      log.warn("{} answers later than {} ms but is still sending: its connections are kept, commands that time out "
          + "fail (logged at most once a minute)", redis, timeout.toMillis());
    }
  }
}
