package dev.switchboard.server.messages;

import dev.switchboard.redis.RedisCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Tells whether a message id is new within the de-duplication window: {@code room:publish} resends
 * and server API retries share it, so a message is delivered once whichever way it comes back.
 */
public interface Dedupe {
  /** How long a message id is remembered. */
  Duration WINDOW = Duration.ofMinutes(10);
  /** Most message ids a node remembers at once. */
  int MAX_IDS = 100_000;

  /** Completes with true the first time {@code key} is seen within the window, false for a repeat. */
  CompletableFuture<Boolean> firstTime(String key);

  /**
   * Forgets {@code key}: the message seen with it was refused, so its resend is taken as new, not
   * answered as a duplicate of a message that never went out.
   */
  void forget(String key);

  /** The window of this node alone: a single server's. */
  static Dedupe local(DedupeWindow window) {
    return new Dedupe() {
      @Override
      public CompletableFuture<Boolean> firstTime(String key) {
        return CompletableFuture.completedFuture(window.firstTime(key));
      }

      @Override
      public void forget(String key) {
        window.forget(key);
      }
    };
  }

  /**
   * Message ids remembered for {@link #WINDOW}: on this node alone, or in a cluster's Redis, so that
   * a resend to any node is recognised.
   */
  static Dedupe of(Optional<RedisCluster> cluster) {
    DedupeWindow local = new DedupeWindow(WINDOW, MAX_IDS, Clock.systemUTC());
    return cluster.<Dedupe>map(redis -> new ClusterDedupe(local, redis, WINDOW)).orElseGet(() -> local(local));
  }

  /** The key of message {@code id} published to {@code room}: ids are unique per room. */
  static String key(String room, String id) {
    return room + '\u0000' + id;
  }
}
