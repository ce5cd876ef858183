package dev.switchboard.redis;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Publishes that carry a deadline on Redis's clock ({@link RedisClock}): a hung Redis still runs
 * what it had received when it wakes up, long after the commands were dropped here, so a publish
 * that reaches it past its deadline publishes nothing.
 */
final class DeadlinePublisher {
  private final BoundedCommands commands;
  private final boolean sharded;
  private final long deadlineMicros;
  private final RedisClock clock = new RedisClock();

  DeadlinePublisher(BoundedCommands commands, boolean sharded, Duration deadline) {
    this.commands = commands;
    this.sharded = sharded;
    this.deadlineMicros = deadline.toNanos() / 1000;
  }

  /**
   * Publishes to every subscriber of {@code channel}: SPUBLISH on a cluster, PUBLISH otherwise;
   * completes with their number, or fails when Redis got it too late ({@link #sendBeforeDeadline}).
   */
  CompletableFuture<Long> publish(byte[] channel, byte[] message) {
    String script = sharded ? StreamScripts.SHARD_PUBLISH_BEFORE : StreamScripts.PUBLISH_BEFORE;
    return sendBeforeDeadline(script, new byte[][] {channel}, List.of(message)).thenApply(reply -> (Long) reply.get(0));
  }

  /** Publishes with SPUBLISH, on one server too: for subscribers of sharded pub/sub on either target. */
  CompletableFuture<Long> publishToShard(byte[] channel, byte[] message) {
    return sendBeforeDeadline(StreamScripts.SHARD_PUBLISH_BEFORE, new byte[][] {channel}, List.of(message))
        .thenApply(reply -> (Long) reply.get(0));
  }

  /**
   * Runs a script that starts with {@link StreamScripts#LATE} (one that publishes, or writes what
   * must not be written late) with {@code args} and a deadline after them: Redis runs it only within
   * half the command timeout of now, so a command that waited in a hung Redis, or in a cut network
   * link, does nothing when it finally arrives. Fails when it came too late.
   */
  CompletableFuture<List<Object>> sendBeforeDeadline(String script, byte[][] keys, List<byte[]> args) {
    byte[][] withDeadline = args.toArray(new byte[args.size() + 1][]);
    withDeadline[args.size()] = Keys.bytes(Long.toString(clock.redisMicrosIn(deadlineMicros)));
    long sent = RedisClock.localMicros();
    return commands.<List<Object>>send(c -> c.eval(script, ScriptOutputType.MULTI, keys, withDeadline)).thenApply(reply -> {
      if (reply.isEmpty()) {
        if (RedisClock.localMicros() - sent < deadlineMicros) {
          // Answered in time, yet late by Redis's clock: that clock moved; measure it again.
          clock.reset();
          readClock();
        }
        throw new CompletionException(new IllegalStateException("Redis got the publish after its deadline"));
      }
      return reply;
    });
  }

  /** Samples Redis's clock ({@link RedisClock}). */
  CompletableFuture<?> readClock() {
    long sent = RedisClock.localMicros();
    return commands.send(c -> c.time()).thenAccept(time -> clock.sample(sent, time, RedisClock.localMicros()));
  }
}
