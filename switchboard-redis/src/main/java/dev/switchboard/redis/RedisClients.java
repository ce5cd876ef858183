package dev.switchboard.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lettuce clients of a node: commands fail at once while Redis is away (never queued to be
 * replayed), at most {@code maxPending} wait, each times out after the command timeout, and lost
 * connections are made again with a backoff of 100 ms doubling up to 1 s.
 */
final class RedisClients {
  private static final Logger log = LoggerFactory.getLogger(RedisClients.class);

  private RedisClients() {}

  /** The threads and the reconnection backoff of one node's clients; their channels' reads tell {@code progress}. */
  static ClientResources resources(ReadProgress progress) {
    return ClientResources.builder()
        .nettyCustomizer(progress.customizer())
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
  }

  /** A client of the one server, or of the Redis Cluster, that {@code target} names. */
  static AbstractRedisClient create(ClientResources resources, RedisTarget target, RedisOptions options) {
    return target.cluster() ? clusterClient(resources, target, options) : standaloneClient(resources, target, options);
  }

  private static RedisClient standaloneClient(ClientResources resources, RedisTarget target, RedisOptions options) {
    RedisClient client = RedisClient.create(resources, target.seeds().get(0));
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(options.maxPending())
        .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
        .build());
    return client;
  }

  /** On a cluster the topology is refreshed when Lettuce meets a redirection or a node it cannot reach, and once a minute. */
  private static RedisClusterClient clusterClient(ClientResources resources, RedisTarget target, RedisOptions options) {
    RedisClusterClient client = RedisClusterClient.create(resources, target.seeds());
    client.setOptions(ClusterClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(options.maxPending())
        .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enableAllAdaptiveRefreshTriggers()
            .adaptiveRefreshTriggersTimeout(Duration.ofSeconds(5))
            .enablePeriodicRefresh(Duration.ofMinutes(1))
            .build())
        .build());
    return client;
  }

  /**
   * Opens the connections to every master that commands and subscriptions are routed over: while
   * one is still being opened Lettuce rejects what is sent to it (commands fail fast here), so
   * they are opened at start and whenever the topology has a new master.
   */
  static CompletableFuture<Void> connectToMasters(StatefulRedisClusterConnection<byte[], byte[]> commands,
      StatefulRedisClusterPubSubConnection<byte[], byte[]> pubsub) {
    List<CompletableFuture<?>> connecting = new ArrayList<>();
    for (RedisClusterNode node : commands.getPartitions()) {
      if (node.getRole().isUpstream() && node.getUri() != null) {
        String host = node.getUri().getHost();
        int port = node.getUri().getPort();
        try {
          connecting.add(commands.getConnectionAsync(host, port));
          connecting.add(pubsub.getConnectionAsync(host, port));
        } catch (RuntimeException e) {
          connecting.add(CompletableFuture.failedFuture(e));
        }
      }
    }
    return CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new));
  }

  /** Waits up to {@code timeout} for the connections to the masters; the ones still missing are logged, not fatal. */
  static void awaitMasters(CompletableFuture<?> connecting, Duration timeout) {
    try {
      connecting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("not every Redis Cluster master is reachable yet: {}", e.toString());
    }
  }
}
