package dev.switchboard.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's two connections to Redis (commands, and subscriptions) from opening to closing, and
 * the timer of its periodic work. Commands go through {@link BoundedCommands}; while Redis is away
 * they fail at once, Lettuce reconnects ({@link RedisClients}) and every reconnection runs the
 * hooks that restore this node's state ({@link ConnectionWatch}). A hung Redis is handled as an
 * outage ({@link StallWatch}), and every publish carries a deadline on Redis's clock
 * ({@link DeadlinePublisher}).
 *
 * <p>The target is one Redis server or a Redis Cluster ({@link RedisTarget}). On a cluster,
 * commands go to the node owning their key's slot, channels are sharded ({@link ShardedPubSub},
 * published with SPUBLISH), and the connections to every master are opened at start and at each
 * refresh.
 */
final class RedisConnections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final boolean sharded;
  private final StatefulConnection<byte[], byte[]> connection;
  private final PubSub pubsub;
  private final ScheduledExecutorService timer;
  private final RedisHealth health = new RedisHealth();
  private final ConnectionWatch watch;
  private final BoundedCommands commands;
  private final DeadlinePublisher publisher;
  /** On a cluster, follows a lost master's slots to its replica; null on one server. */
  private final FailoverWatch failovers;
  private final FailoverResends resends;
  private volatile boolean open;
  private PubSub shardChannels;

  private RedisConnections(RedisOptions options) {
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "switchboard-redis");
      thread.setDaemon(true);
      return thread;
    });
    ReadProgress progress = new ReadProgress();
    this.resources = RedisClients.resources(progress);
    RedisTarget target = RedisTarget.parse(options.uri());
    this.sharded = target.cluster();
    this.client = RedisClients.create(resources, target, options);
    this.watch = new ConnectionWatch(timer, health, () -> open);
    RedisClusterAsyncCommands<byte[], byte[]> async;
    StalledConnections stalled;
    try {
      if (client instanceof RedisClusterClient cluster) {
        StatefulRedisClusterConnection<byte[], byte[]> clusterConnection = cluster.connect(ByteArrayCodec.INSTANCE);
        this.connection = clusterConnection;
        async = clusterConnection.async();
        StatefulRedisClusterPubSubConnection<byte[], byte[]> pubsubConnection = cluster.connectPubSub(ByteArrayCodec.INSTANCE);
        stalled = new StalledConnections.ClusterMasters(clusterConnection, pubsubConnection, progress);
        ShardedPubSub shardedPubSub = new ShardedPubSub(cluster, pubsubConnection, timer, health);
        this.pubsub = shardedPubSub;
        RedisClients.awaitMasters(RedisClients.connectToMasters(clusterConnection, pubsubConnection), options.commandTimeout());
        // Subscriptions go to the new master once its connections are open: until then Lettuce refuses them.
        this.failovers = new FailoverWatch(cluster, timer, address -> RedisClients.connectToMasters(clusterConnection,
            pubsubConnection).whenComplete((connected, error) -> runLater(() -> {
              shardedPubSub.reconcile();
              watch.followed(address);
            })));
        watch.watch(resources, shardedPubSub, failovers);
        every(options.refreshInterval(), () -> {
          RedisClients.connectToMasters(clusterConnection, pubsubConnection);
          shardedPubSub.reconcile();
        });
      } else {
        RedisClient single = (RedisClient) client;
        StatefulRedisConnection<byte[], byte[]> singleConnection = single.connect(ByteArrayCodec.INSTANCE);
        this.connection = singleConnection;
        async = singleConnection.async();
        StatefulRedisPubSubConnection<byte[], byte[]> pubsubConnection = single.connectPubSub(ByteArrayCodec.INSTANCE);
        this.pubsub = new ClassicPubSub(pubsubConnection);
        stalled = new StalledConnections.OneServer(List.of(singleConnection, pubsubConnection), progress);
        this.failovers = null;
        watch.watch(single);
      }
    } catch (RuntimeException e) {
      timer.shutdownNow();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      resources.shutdown(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot connect to Redis at " + options.uri() + ": " + e.getMessage(), e);
    }
    StallWatch stalls = new StallWatch(timer, options.commandTimeout(), stalled, watch);
    this.commands = new BoundedCommands(async, options.maxPending(), health, stalls, () -> open);
    this.publisher = new DeadlinePublisher(commands, sharded, options.publishDeadline());
    this.resends = new FailoverResends(timer, Optional.ofNullable(failovers), options.commandTimeout().multipliedBy(2));
    open = true;
    publisher.readClock();
    every(options.refreshInterval(), publisher::readClock);
  }

  /** Connects to Redis; fails when it cannot be reached now. */
  static RedisConnections open(RedisOptions options) {
    return new RedisConnections(options);
  }

  RedisHealth health() {
    return health;
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /** Whether the target is a Redis Cluster: sharded channels, keys spread over slots. */
  boolean sharded() {
    return sharded;
  }

  PubSub pubsub() {
    return pubsub;
  }

  /**
   * Sharded pub/sub (SSUBSCRIBE) on either target: on a Redis Cluster this node's subscriptions
   * ({@link #pubsub()}), on one server a connection of its own, opened on first use and closed with
   * these connections.
   */
  synchronized PubSub shardChannels() {
    if (sharded) {
      return pubsub;
    }
    if (shardChannels == null) {
      shardChannels = new ShardPubSub(((RedisClient) client).connectPubSub(ByteArrayCodec.INSTANCE));
    }
    return shardChannels;
  }

  /** See {@link DeadlinePublisher#publishToShard}; sent again while refused during a failover ({@link FailoverResends}). */
  CompletableFuture<Long> publishToShard(byte[] channel, byte[] message) {
    return resends.send(channel, () -> publisher.publishToShard(channel, message));
  }

  /** See {@link DeadlinePublisher#publish}; sent again while refused during a failover ({@link FailoverResends}). */
  CompletableFuture<Long> publish(byte[] channel, byte[] message) {
    return resends.send(channel, () -> publisher.publish(channel, message));
  }

  /** See {@link DeadlinePublisher#sendBeforeDeadline}; sent again while refused during a failover ({@link FailoverResends}). */
  CompletableFuture<List<Object>> sendBeforeDeadline(String script, byte[][] keys, List<byte[]> args) {
    return resends.send(keys[0], () -> publisher.sendBeforeDeadline(script, keys, args));
  }

  /** See {@link ConnectionWatch#onReconnect}. */
  void onReconnect(Runnable hook) {
    watch.onReconnect(hook);
  }

  /** See {@link ConnectionWatch#onLost}. */
  void onLost(Runnable hook) {
    watch.onLost(hook);
  }

  /** See {@link ConnectionWatch#onDisconnect}. */
  void onDisconnect(Runnable hook) {
    watch.onDisconnect(hook);
  }

  /**
   * A new pub/sub connection for classic SUBSCRIBE (on a Redis Cluster, to one of its nodes), which
   * Lettuce reconnects and subscribes again on its own; the caller closes it before this.
   */
  <K, V> StatefulRedisPubSubConnection<K, V> connectPubSub(RedisCodec<K, V> codec) {
    return client instanceof RedisClusterClient cluster ? cluster.connectPubSub(codec) : ((RedisClient) client).connectPubSub(codec);
  }

  /** Sends a command without waiting; completes exceptionally when it failed or was dropped. */
  <T> CompletableFuture<T> send(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
    return commands.send(command);
  }

  /** Whether {@code error} says that Redis never got the command, so it cannot run later. */
  static boolean notSent(Throwable error) {
    return BoundedCommands.notSent(error);
  }

  /** Runs {@code task} every {@code interval} on the timer thread; a failing run is logged and the next one still runs. */
  void every(Duration interval, Runnable task) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("periodic Redis work failed", e);
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runLater(Runnable task) {
    try {
      timer.execute(task);
    } catch (RejectedExecutionException closing) {
      // the node is closing
    }
  }

  /** Stops the periodic work, then closes the connections; commands still waiting fail quietly. */
  @Override
  public void close() {
    open = false;
    if (failovers != null) {
      failovers.close();
    }
    timer.shutdownNow();
    pubsub.close();
    synchronized (this) {
      if (shardChannels != null) {
        shardChannels.close();
      }
    }
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
