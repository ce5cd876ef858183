package dev.switchboard.redis;

import dev.switchboard.http.internal.Meters;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answers, as seen by the commands this node sends: an outage is logged once when
 * it starts and once when it ends, and every failed command and dropped message is counted. On a
 * Redis Cluster with one shard down, commands to the other shards still succeed, so outages start
 * and end over and over: they are counted, but logged at most once every 10 seconds.
 */
public final class RedisHealth {
  private static final Logger log = LoggerFactory.getLogger(RedisHealth.class);
  private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final AtomicBoolean down = new AtomicBoolean();
  private final LongAdder errors = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder outages = new LongAdder();
  private final LongAdder lostBroadcasts = new LongAdder();
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - QUIET_NANOS);
  private volatile boolean warned;
  /** Where the latency of answered commands goes: nowhere until meters are bound. */
  private volatile LongConsumer latency = nanos -> { };

  /** A command succeeded. */
  void ok() {
    if (down.get() && down.compareAndSet(true, false) && warned) {
      warned = false;
      log.info("Redis is reachable again: cross-node delivery resumed ({} failed commands so far)", errors.sum());
    }
  }

  /** A command Redis answered {@code nanos} after it was sent. */
  void answered(long nanos) {
    latency.accept(nanos);
  }

  /** A command failed. */
  void failed(Throwable error) {
    errors.increment();
    if (down.compareAndSet(false, true)) {
      outages.increment();
      long now = System.nanoTime();
      long last = lastWarning.get();
      if (now - last < QUIET_NANOS || !lastWarning.compareAndSet(last, now)) {
        return;
      }
      warned = true;
      log.warn("Redis unreachable ({}): local delivery continues, cross-node delivery is paused while reconnecting",
          error.toString());
    }
  }

  /** A message was not sent because too many were waiting for Redis. */
  void dropped() {
    dropped.increment();
  }

  /** A broadcast did not reach the other nodes: Redis was away, hung, or did not take it in time. */
  void lostBroadcast() {
    lostBroadcasts.increment();
  }

  /** Whether the last command failed. */
  public boolean down() {
    return down.get();
  }

  /** Commands that failed since start. */
  public long errors() {
    return errors.sum();
  }

  /** Messages not sent because the queue to Redis was full. */
  public long droppedMessages() {
    return dropped.sum();
  }

  /**
   * Broadcasts of this node that did not reach the other nodes because Redis was away, hung or too
   * slow (its members still got them).
   */
  public long lostBroadcasts() {
    return lostBroadcasts.sum();
  }

  /** How many times Redis became unreachable. */
  public long outages() {
    return outages.sum();
  }

  /** Registers the meters of this node's Redis: health counters, and the latency of commands from now on. */
  void bind(Meters meters) {
    meters.timer("switchboard.redis.commands", "Commands Redis answered, with their latency (from sending to the answer).")
        .ifPresent(timer -> latency = nanos -> timer.record(nanos, TimeUnit.NANOSECONDS));
    meters.counter("switchboard.redis.errors", "", "Redis commands that failed (refused, timed out, or answered with an error).",
        this, RedisHealth::errors);
    meters.gauge("switchboard.redis.down", "", "1 while Redis is unreachable (the last command failed), else 0.",
        this, health -> health.down() ? 1 : 0);
    meters.counter("switchboard.redis.outages", "", "Times Redis became unreachable.", this, RedisHealth::outages);
    meters.counter("switchboard.redis.dropped", "", "Messages not sent to Redis because too many were waiting for it.",
        this, RedisHealth::droppedMessages);
    meters.counter("switchboard.redis.broadcasts.lost", "",
        "Broadcasts of this node that did not reach the other nodes (Redis away, hung or too slow); local members still got them.",
        this, RedisHealth::lostBroadcasts);
  }
}
