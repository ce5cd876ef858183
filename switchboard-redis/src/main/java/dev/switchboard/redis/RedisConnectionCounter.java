package dev.switchboard.redis;

import dev.switchboard.cluster.ConnectionCounter;
import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Each user's connections over the cluster, as a sorted set per user scored by expiry: a node
 * refreshes its own connections, so those of a dead node stop counting after the entry ttl.
 * While Redis is unreachable the admission fails and the caller falls back to its own count.
 */
final class RedisConnectionCounter implements ConnectionCounter {
  /** ARGV: connection, max, expiry, now, key ttl. Returns 1 when counted. */
  private static final String ADMIT = """
      redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[4])
      if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
      if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
      redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[5])
      return 1
      """;

  private final RedisConnections redis;
  private final Keys keys;
  private final Duration ttl;
  /** This node's counted connections by user; changed with the mirroring command, under the lock. */
  private final Map<String, Set<String>> local = new HashMap<>();

  RedisConnectionCounter(RedisConnections redis, Keys keys, Duration ttl) {
    this.redis = redis;
    this.keys = keys;
    this.ttl = ttl;
  }

  @Override
  public synchronized CompletableFuture<Boolean> admit(String userId, String connectionId, int max) {
    long now = System.currentTimeMillis();
    byte[] key = keys.userConnections(userId);
    local.computeIfAbsent(userId, u -> new HashSet<>()).add(connectionId);
    return redis.send(c -> c.<Long>eval(ADMIT, ScriptOutputType.INTEGER, new byte[][] {key}, b(connectionId),
        b(Integer.toString(max)), b(Long.toString(now + ttl.toMillis())), b(Long.toString(now)),
        b(Long.toString(2 * ttl.toMillis())))).thenApply(counted -> counted == 1L);
  }

  @Override
  public synchronized void release(String userId, String connectionId) {
    Set<String> connections = local.get(userId);
    if (connections != null && connections.remove(connectionId) && connections.isEmpty()) {
      local.remove(userId);
    }
    byte[] key = keys.userConnections(userId);
    redis.send(c -> c.zrem(key, b(connectionId)));
  }

  /** Pushes the expiry of this node's connections forward (and writes them again after Redis lost its data). */
  synchronized void refresh() {
    double expiry = System.currentTimeMillis() + ttl.toMillis();
    local.forEach((user, connections) -> {
      byte[] key = keys.userConnections(user);
      for (String connection : connections) {
        redis.send(c -> c.zadd(key, expiry, b(connection)));
      }
      redis.send(c -> c.pexpire(key, 2 * ttl.toMillis()));
    });
  }

  private static byte[] b(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
