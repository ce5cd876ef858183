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
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connections that a hung Redis has: dropped (their channels closed, so Lettuce fails what
 * waits on them and reconnects) when it sent nothing while a command or a ping waited for its
 * answer. A server that goes on sending is only slow, or this node is behind in reading it (a
 * saturated or paused JVM): its connections stay, as dropping them would fail what it is answering.
 */
sealed interface StalledConnections {
  /**
   * Drops the connections to each Redis that is hung, given that a command sent at {@code sentAt}
   * ({@link System#nanoTime}) had no answer within {@code timeout}; {@code verdicts} hears which
   * ("Redis", or "Redis at host:port"). Completes when checked.
   */
  CompletableFuture<Void> dropStalled(Duration timeout, long sentAt, Verdicts verdicts);

  /** What a check found, server by server. */
  interface Verdicts {
    /** {@code redis} is hung: its connections go right after. */
    void dropping(String redis);

    /** {@code redis} did not answer in time but sent something meanwhile: its connections are kept. */
    void slow(String redis);
  }

  /** One server, which the timed-out command was sent to: hung when nothing came from it since. */
  record OneServer(List<StatefulConnection<?, ?>> connections, ReadProgress progress) implements StalledConnections {
    public OneServer {
      connections = List.copyOf(connections);
    }

    @Override
    public CompletableFuture<Void> dropStalled(Duration timeout, long sentAt, Verdicts verdicts) {
      if (progress.anyReadSince(sentAt)) {
        verdicts.slow("Redis");
      } else {
        verdicts.dropping("Redis");
        connections.forEach(StalledConnections::drop);
      }
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * A Redis Cluster, where the timed-out command's master is not known: every master is pinged,
   * and one that neither answers within the timeout nor sends anything meanwhile is hung.
   */
  record ClusterMasters(StatefulRedisClusterConnection<byte[], byte[]> commands,
      StatefulRedisClusterPubSubConnection<byte[], byte[]> subscriptions, ReadProgress progress)
      implements StalledConnections {
    @Override
    public CompletableFuture<Void> dropStalled(Duration timeout, long sentAt, Verdicts verdicts) {
      List<CompletableFuture<?>> checks = new ArrayList<>();
      for (RedisClusterNode node : commands.getPartitions()) {
        RedisURI uri = node.getUri();
        if (!node.getRole().isUpstream() || uri == null) {
          continue;
        }
        String redis = "Redis at " + uri.getHost() + ":" + uri.getPort();
        try {
          StatefulRedisConnection<byte[], byte[]> commandsThere = commands.getConnection(uri.getHost(), uri.getPort());
          InetSocketAddress address = new InetSocketAddress(uri.getHost(), uri.getPort());
          long pingedAt = System.nanoTime();
          checks.add(answers(commandsThere, timeout).thenAccept(answered -> {
            if (answered) {
              return;
            }
            if (progress.readSince(address, pingedAt)) {
              verdicts.slow(redis);
              return;
            }
            verdicts.dropping(redis);
            drop(commandsThere);
            drop(subscriptions.getConnection(uri.getHost(), uri.getPort()));
          }));
        } catch (RuntimeException e) {
          // no connection to that master now: nothing to drop
        }
      }
      return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).handle((done, error) -> null);
    }
  }

  /** Whether {@code connection}'s server answers a ping within {@code timeout}; never fails. */
  private static CompletableFuture<Boolean> answers(StatefulRedisConnection<byte[], byte[]> connection, Duration timeout) {
    try {
      return connection.async().ping().toCompletableFuture()
          .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .handle((pong, error) -> error == null);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(false);
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
