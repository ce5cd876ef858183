package dev.switchboard.redis;

import io.lettuce.core.Range;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** This node's entry in the set of live nodes: refreshed periodically, gone after its ttl when the node dies. */
final class NodeHeartbeat {
  private final RedisConnections redis;
  private final byte[] key;
  private final byte[] nodeId;
  private final Duration ttl;

  NodeHeartbeat(RedisConnections redis, Keys keys, String nodeId, Duration ttl) {
    this.redis = redis;
    this.key = keys.nodes();
    this.nodeId = nodeId.getBytes(StandardCharsets.UTF_8);
    this.ttl = ttl;
  }

  /** Refreshes this node's entry; completes once Redis holds it. */
  CompletableFuture<Long> beat() {
    long now = System.currentTimeMillis();
    CompletableFuture<Long> added = redis.send(c -> c.zadd(key, (double) (now + ttl.toMillis()), nodeId));
    redis.send(c -> c.zremrangebyscore(key, Range.create(Double.NEGATIVE_INFINITY, (double) now)));
    return added;
  }

  /** How many nodes (this one included) have a live heartbeat. */
  CompletableFuture<Long> alive() {
    long now = System.currentTimeMillis();
    return redis.send(c -> c.zcount(key, Range.create((double) now, Double.POSITIVE_INFINITY)));
  }

  /** Leaves the set of live nodes, waiting up to a second for Redis. */
  void stop() {
    try {
      redis.send(c -> c.zrem(key, nodeId)).get(1, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      // the entry expires on its own
    }
  }
}
