package dev.switchboard.redis;

import io.lettuce.core.Delegating;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.protocol.DefaultEndpoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The connections that a hung Redis has: dropped (their channels closed, so Lettuce fails what
 * waits on them and reconnects) when it does not answer in time.
 */
sealed interface StalledConnections {
  /**
   * Drops the connections to each Redis that does not answer now; {@code dropping} hears which
   * one ("Redis", or "Redis at host:port") before its connections go. Completes when checked.
   */
  CompletableFuture<Void> dropStalled(Duration timeout, Consumer<String> dropping);

  /** One server, which a timed-out command says is hung: its command and subscription connections. */
  record OneServer(List<StatefulConnection<?, ?>> connections) implements StalledConnections {
    public OneServer {
      connections = List.copyOf(connections);
    }

    @Override
    public CompletableFuture<Void> dropStalled(Duration timeout, Consumer<String> dropping) {
      dropping.accept("Redis");
      connections.forEach(StalledConnections::drop);
      return CompletableFuture.completedFuture(null);
    }
  }

  /** A Redis Cluster: every master is pinged, the connections to each that does not answer in time are dropped. */
  record ClusterMasters(StatefulRedisClusterConnection<byte[], byte[]> commands,
      StatefulRedisClusterPubSubConnection<byte[], byte[]> subscriptions) implements StalledConnections {
    @Override
    public CompletableFuture<Void> dropStalled(Duration timeout, Consumer<String> dropping) {
      List<CompletableFuture<?>> pings = new ArrayList<>();
      for (RedisClusterNode node : commands.getPartitions()) {
        RedisURI uri = node.getUri();
        if (!node.getRole().isUpstream() || uri == null) {
          continue;
        }
        try {
          StatefulRedisConnection<byte[], byte[]> commandsThere = commands.getConnection(uri.getHost(), uri.getPort());
          pings.add(commandsThere.async().ping().toCompletableFuture()
              .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .whenComplete((pong, error) -> {
                if (error != null) {
                  dropping.accept("Redis at " + uri.getHost() + ":" + uri.getPort());
                  drop(commandsThere);
                  drop(subscriptions.getConnection(uri.getHost(), uri.getPort()));
                }
              }));
        } catch (RuntimeException e) {
          // no connection to that master now: nothing to drop
        }
      }
      return CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new)).handle((done, error) -> null);
    }
  }

  /** Closes the connection's channel (not the connection): Lettuce fails what waits on it and reconnects. */
  private static void drop(StatefulConnection<?, ?> connection) {
    if (!(connection instanceof RedisChannelHandler<?, ?> handler)) {
      return;
    }
    RedisChannelWriter writer = handler.getChannelWriter();
    while (!(writer instanceof DefaultEndpoint) && writer instanceof Delegating<?> delegating
        && delegating.getDelegate() instanceof RedisChannelWriter inner) {
      writer = inner;
    }
    if (writer instanceof DefaultEndpoint endpoint) {
      endpoint.disconnect();
    }
  }
}
