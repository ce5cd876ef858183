package dev.switchboard.server.messages;

import dev.switchboard.redis.RedisCluster;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The de-duplication window of a cluster: an id is claimed in Redis for the window, so a resend to
 * any node is recognised (a client's offline queue resends after reconnecting, often elsewhere).
 * Repeats this node saw itself are answered without asking Redis; when Redis cannot answer, the id
 * counts as new: a message is rather delivered twice than lost.
 */
final class ClusterDedupe implements Dedupe {
  private static final Logger log = LoggerFactory.getLogger(ClusterDedupe.class);

  private final DedupeWindow local;
  private final RedisCluster cluster;
  private final Duration window;

  ClusterDedupe(DedupeWindow local, RedisCluster cluster, Duration window) {
    this.local = local;
    this.cluster = cluster;
    this.window = window;
  }

  @Override
  public CompletableFuture<Boolean> firstTime(String key) {
    if (!local.firstTime(key)) {
      return CompletableFuture.completedFuture(false);
    }
    return cluster.claim(key, window).exceptionally(error -> {
      log.debug("a message id could not be claimed in Redis, so it counts as new: {}", error.toString());
      return true;
    });
  }

  @Override
  public void forget(String key) {
    local.forget(key);
    cluster.release(key).exceptionally(error -> {
      log.debug("a message id could not be released in Redis: {}", error.toString());
      return null;
    });
  }
}
