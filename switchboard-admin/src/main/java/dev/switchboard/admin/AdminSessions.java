package dev.switchboard.admin;

import dev.switchboard.admin.internal.InMemoryAdminSessions;
import dev.switchboard.admin.internal.RedisAdminSessions;
import dev.switchboard.redis.RedisCluster;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Where the Admin UI's login sessions are kept for {@link #LIFETIME}: after one login the UI
 * reconnects with its session id instead of the password. In this node's memory, or in a
 * cluster's Redis so that every node accepts a session made on any other.
 */
public interface AdminSessions {
  /** How long a session id is accepted after the login that made it. */
  Duration LIFETIME = Duration.ofHours(24);

  /** Keeps {@code sessionId} for {@link #LIFETIME}. */
  CompletionStage<Void> save(String sessionId);

  /** Whether {@code sessionId} was saved and has not expired. */
  CompletionStage<Boolean> exists(String sessionId);

  /** Sessions in this node's memory. */
  static AdminSessions inMemory() {
    return new InMemoryAdminSessions(LIFETIME, Clock.systemUTC());
  }

  /** Sessions in the cluster's Redis (keys {@code <prefix>socket.io-admin#<id>}), shared by every node. */
  static AdminSessions redis(RedisCluster cluster) {
    return new RedisAdminSessions(cluster, LIFETIME);
  }
}
