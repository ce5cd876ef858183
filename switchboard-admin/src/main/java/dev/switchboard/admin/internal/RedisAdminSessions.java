package dev.switchboard.admin.internal;

import dev.switchboard.admin.AdminSessions;
import dev.switchboard.redis.RedisCluster;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** {@link AdminSessions#redis}: one expiring key per session, {@code socket.io-admin#<id>} as Node's RedisStore names it. */
public final class RedisAdminSessions implements AdminSessions {
  private static final String KEY = "socket.io-admin#";

  private final RedisCluster cluster;
  private final Duration lifetime;

  public RedisAdminSessions(RedisCluster cluster, Duration lifetime) {
    this.cluster = cluster;
    this.lifetime = lifetime;
  }

  @Override
  public CompletionStage<Void> save(String sessionId) {
    return cluster.putExpiring(KEY + sessionId, "1", lifetime);
  }

  @Override
  public CompletionStage<Boolean> exists(String sessionId) {
    return cluster.exists(KEY + sessionId);
  }
}
