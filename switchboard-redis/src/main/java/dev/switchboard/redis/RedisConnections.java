package dev.switchboard.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Delegating;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.DefaultEndpoint;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's two connections to Redis (commands, and subscriptions), the timer of its periodic
 * work, and the one way commands are sent: asynchronously, at most {@code maxPending} waiting,
 * failures counted in {@link RedisHealth} and never thrown. While Redis is away commands fail at
 * once; Lettuce reconnects with a backoff of 100 ms doubling up to 1 s, and every reconnection
 * runs the hooks that restore this node's state.
 *
 * <p>A hung Redis (stopped, or busy in a long command) is an outage too: when a command times out,
 * the connections to it are dropped (on a Redis Cluster, those to each master that does not answer
 * a {@code PING} within the timeout), so that commands fail at once while it is away, and they are
 * made again like lost ones. Commands
 * sent on a dropped connection fail when it is dropped and are never sent again (Lettuce's
 * {@code REJECT_COMMANDS} cancels them instead of replaying them after the reconnection), but a
 * hung Redis still runs what it had received when it wakes up: so every publish carries a deadline
 * on Redis's clock ({@link RedisClock}) past which it publishes nothing.
 *
 * <p>The target is one Redis server or a Redis Cluster ({@link RedisTarget}). On a cluster,
 * commands go to the node owning their key's slot, channels are sharded ({@link ShardedPubSub},
 * published with SPUBLISH), and the topology is refreshed when Lettuce meets a redirection or a
 * node it cannot reach, and once a minute.
 */
final class RedisConnections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final boolean sharded;
  private final StatefulConnection<byte[], byte[]> connection;
  private final RedisClusterAsyncCommands<byte[], byte[]> commands;
  private final PubSub pubsub;
  private final ScheduledExecutorService timer;
  private final RedisHealth health = new RedisHealth();
  private final RedisClock clock = new RedisClock();
  private final Duration timeout;
  private final long publishDeadlineMicros;
  /** Set while a timed-out command's Redis is being checked, so that one stall is handled once. */
  private final AtomicBoolean checkingStall = new AtomicBoolean();
  /** When connections were last dropped ({@link System#nanoTime}): commands sent before went with them. */
  private volatile long lastDrop = System.nanoTime();
  /** The connections a stall drops: on one server the command and subscription connections. */
  private final List<StatefulConnection<?, ?>> singleConnections = new ArrayList<>();
  /** On a Redis Cluster, the connections whose node connections a stall drops; null on one server. */
  private final StatefulRedisClusterConnection<byte[], byte[]> clusterCommands;
  private final StatefulRedisClusterPubSubConnection<byte[], byte[]> clusterSubscriptions;
  private final AtomicInteger pending = new AtomicInteger();
  private final int maxPending;
  private final List<Runnable> reconnectHooks = new CopyOnWriteArrayList<>();
  private final List<Runnable> disconnectHooks = new CopyOnWriteArrayList<>();
  private final List<Runnable> lostHooks = new CopyOnWriteArrayList<>();
  private volatile boolean open;

  private RedisConnections(RedisOptions options) {
    this.maxPending = options.maxPending();
    this.timeout = options.commandTimeout();
    this.publishDeadlineMicros = options.publishDeadline().toNanos() / 1000;
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "switchboard-redis");
      thread.setDaemon(true);
      return thread;
    });
    this.resources = ClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(2)
        .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
        .build();
    RedisTarget target = RedisTarget.parse(options.uri());
    this.sharded = target.cluster();
    this.client = target.cluster()
        ? clusterClient(resources, target, options)
        : standaloneClient(resources, target, options);
    try {
      if (client instanceof RedisClusterClient cluster) {
        StatefulRedisClusterConnection<byte[], byte[]> clusterConnection = cluster.connect(ByteArrayCodec.INSTANCE);
        this.connection = clusterConnection;
        this.commands = clusterConnection.async();
        StatefulRedisClusterPubSubConnection<byte[], byte[]> pubsubConnection = cluster.connectPubSub(ByteArrayCodec.INSTANCE);
        this.clusterCommands = clusterConnection;
        this.clusterSubscriptions = pubsubConnection;
        ShardedPubSub shardedPubSub = new ShardedPubSub(cluster, pubsubConnection, timer, health);
        this.pubsub = shardedPubSub;
        awaitQuietly(connectToMasters(clusterConnection, pubsubConnection), options.commandTimeout());
        watchReconnections(shardedPubSub);
        every(options.refreshInterval(), () -> {
          connectToMasters(clusterConnection, pubsubConnection);
          shardedPubSub.reconcile();
        });
      } else {
        RedisClient single = (RedisClient) client;
        StatefulRedisConnection<byte[], byte[]> singleConnection = single.connect(ByteArrayCodec.INSTANCE);
        this.connection = singleConnection;
        this.commands = singleConnection.async();
        StatefulRedisPubSubConnection<byte[], byte[]> pubsubConnection = single.connectPubSub(ByteArrayCodec.INSTANCE);
        this.pubsub = new ClassicPubSub(pubsubConnection);
        this.clusterCommands = null;
        this.clusterSubscriptions = null;
        singleConnections.add(singleConnection);
        singleConnections.add(pubsubConnection);
        watchReconnections(single);
      }
    } catch (RuntimeException e) {
      timer.shutdownNow();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      resources.shutdown(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot connect to Redis at " + options.uri() + ": " + e.getMessage(), e);
    }
    open = true;
    readClock();
    every(options.refreshInterval(), this::readClock);
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
   * Publishes to every subscriber of {@code channel}: SPUBLISH on a cluster, PUBLISH otherwise;
   * completes with their number, or fails when Redis got it too late ({@link #sendBeforeDeadline}).
   */
  CompletableFuture<Long> publish(byte[] channel, byte[] message) {
    String script = sharded ? StreamScripts.SHARD_PUBLISH_BEFORE : StreamScripts.PUBLISH_BEFORE;
    return sendBeforeDeadline(script, new byte[][] {channel}, List.of(message)).thenApply(reply -> (Long) reply.get(0));
  }

  /**
   * Runs a script that publishes ({@link StreamScripts#LATE}) with {@code args} and a deadline
   * after them: Redis runs it only within half the command timeout of now, so a command that waited
   * in a hung Redis publishes nothing when Redis wakes up. Fails when it came too late.
   */
  CompletableFuture<List<Object>> sendBeforeDeadline(String script, byte[][] keys, List<byte[]> args) {
    byte[][] withDeadline = args.toArray(new byte[args.size() + 1][]);
    withDeadline[args.size()] = Keys.bytes(Long.toString(clock.redisMicrosIn(publishDeadlineMicros)));
    long sent = RedisClock.localMicros();
    return this.<List<Object>>send(c -> c.eval(script, ScriptOutputType.MULTI, keys, withDeadline)).thenApply(reply -> {
      if (reply.isEmpty()) {
        if (RedisClock.localMicros() - sent < publishDeadlineMicros) {
          // Answered in time, yet late by Redis's clock: that clock moved; measure it again.
          clock.reset();
          readClock();
        }
        throw new CompletionException(new IllegalStateException("Redis got the publish after its deadline"));
      }
      return reply;
    });
  }

  /** Samples Redis's clock ({@link RedisClock}); on the timer thread. */
  private CompletableFuture<?> readClock() {
    long sent = RedisClock.localMicros();
    return send(c -> c.time()).thenAccept(time -> clock.sample(sent, time, RedisClock.localMicros()));
  }

  /** Runs {@code hook} on the timer thread after every reconnection. */
  void onReconnect(Runnable hook) {
    reconnectHooks.add(hook);
  }

  /**
   * Runs {@code hook} at once, on the thread that learns it, whenever a connection to Redis is
   * lost or about to be dropped: it must be quick and thread-safe.
   */
  void onLost(Runnable hook) {
    lostHooks.add(hook);
  }

  /** Runs {@code hook} on the timer thread whenever a connection to Redis is lost. */
  void onDisconnect(Runnable hook) {
    disconnectHooks.add(hook);
  }

  /** Sends a command without waiting; completes exceptionally when it failed or was dropped. */
  <T> CompletableFuture<T> send(Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      health.dropped();
      return CompletableFuture.failedFuture(new NotSent(new RejectedExecutionException("too many commands waiting for Redis")));
    }
    RedisFuture<T> future;
    long sentAt = System.nanoTime();
    try {
      future = command.apply(commands);
    } catch (RuntimeException e) {
      pending.decrementAndGet();
      health.failed(e);
      return CompletableFuture.failedFuture(new NotSent(e));
    }
    CompletableFuture<T> result = future.toCompletableFuture();
    if (result.isCompletedExceptionally()) {
      // Refused at once (no connection): it never left this node.
      pending.decrementAndGet();
      Throwable error = result.handle((value, failure) -> failure).join();
      if (open) {
        health.failed(error);
      }
      return CompletableFuture.failedFuture(new NotSent(error));
    }
    return result.whenComplete((value, error) -> {
      pending.decrementAndGet();
      if (error == null) {
        health.ok();
      } else if (open) {
        health.failed(error);
        boolean timedOut = error instanceof RedisCommandTimeoutException
            || error instanceof CompletionException && error.getCause() instanceof RedisCommandTimeoutException;
        if (timedOut && sentAt - lastDrop > 0) {
          stalled();
        }
      }
    });
  }

  /**
   * A command timed out: the connections to a Redis that does not answer now are dropped, so that
   * commands fail at once until it answers again (and Lettuce reconnects as after an outage).
   */
  private void stalled() {
    if (!checkingStall.compareAndSet(false, true)) {
      return;
    }
    try {
      timer.execute(() -> {
        if (clusterCommands == null) {
          log.warn("Redis did not answer within {} ms: handled as an outage, its connections are made again", timeout.toMillis());
          lastDrop = System.nanoTime();
          lostHooks.forEach(Runnable::run);
          singleConnections.forEach(RedisConnections::drop);
          checkingStall.set(false);
        } else {
          dropStalledMasters().whenComplete((done, error) -> checkingStall.set(false));
        }
      });
    } catch (RejectedExecutionException e) {
      checkingStall.set(false);
    }
  }

  /** Pings every master of the cluster; drops the connections to each that does not answer in time. */
  private CompletableFuture<Void> dropStalledMasters() {
    List<CompletableFuture<?>> pings = new ArrayList<>();
    for (RedisClusterNode node : clusterCommands.getPartitions()) {
      RedisURI uri = node.getUri();
      if (!node.getRole().isUpstream() || uri == null) {
        continue;
      }
      try {
        StatefulRedisConnection<byte[], byte[]> commandsThere = clusterCommands.getConnection(uri.getHost(), uri.getPort());
        pings.add(commandsThere.async().ping().toCompletableFuture()
            .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .whenComplete((pong, error) -> {
              if (error != null) {
                log.warn("Redis at {} did not answer within {} ms: handled as an outage, its connections are made again",
                    uri.getHost() + ":" + uri.getPort(), timeout.toMillis());
                lastDrop = System.nanoTime();
                lostHooks.forEach(Runnable::run);
                drop(commandsThere);
                drop(clusterSubscriptions.getConnection(uri.getHost(), uri.getPort()));
              }
            }));
      } catch (RuntimeException e) {
        // no connection to that master now: nothing to drop
      }
    }
    return CompletableFuture.allOf(pings.toArray(CompletableFuture[]::new)).handle((done, error) -> null);
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

  /** A command that failed before it was sent: Redis never got it. */
  static final class NotSent extends RuntimeException {
    NotSent(Throwable cause) {
      super("not sent to Redis: " + cause, cause, false, false);
    }
  }

  /** Whether {@code error} says that Redis never got the command, so it cannot run later. */
  static boolean notSent(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    return cause instanceof NotSent;
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

  /** On one server: each connection lost counts as an outage, each connection made after start is a reconnection. */
  private void watchReconnections(RedisClient single) {
    single.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        if (open) {
          timer.execute(RedisConnections.this::reconnected);
        }
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (open) {
          lostHooks.forEach(Runnable::run);
          health.failed(new IllegalStateException("connection to Redis lost"));
          runDisconnected();
        }
      }
    });
  }

  /**
   * On a cluster, Lettuce also opens and closes short-lived connections to refresh the topology,
   * so only a connection Lettuce tries to reconnect counts as lost: its node's sharded
   * subscriptions are forgotten, and the hooks run when a connection to that node is up again.
   */
  private void watchReconnections(ShardedPubSub sharded) {
    Set<SocketAddress> reconnecting = ConcurrentHashMap.newKeySet();
    resources.eventBus().get().subscribe(event -> {
      if (!open) {
        return;
      }
      if (event instanceof ReconnectAttemptEvent attempt && reconnecting.add(attempt.remoteAddress())) {
        lostHooks.forEach(Runnable::run);
        health.failed(new IllegalStateException("connection to Redis lost (" + attempt.remoteAddress() + ")"));
        sharded.forget(attempt.remoteAddress());
        runDisconnected();
      } else if (event instanceof ConnectionActivatedEvent activated && reconnecting.remove(activated.remoteAddress())) {
        timer.execute(this::reconnected);
      }
    });
  }

  private void runDisconnected() {
    try {
      timer.execute(this::disconnected);
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private void disconnected() {
    for (Runnable hook : disconnectHooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        log.warn("reacting to a lost Redis connection failed", e);
      }
    }
  }

  private void reconnected() {
    for (Runnable hook : reconnectHooks) {
      try {
        hook.run();
      } catch (RuntimeException e) {
        log.warn("restoring state after a Redis reconnection failed", e);
      }
    }
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
  private static CompletableFuture<Void> connectToMasters(StatefulRedisClusterConnection<byte[], byte[]> commands,
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

  private static void awaitQuietly(CompletableFuture<?> future, Duration timeout) {
    try {
      future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("not every Redis Cluster master is reachable yet: {}", e.toString());
    }
  }

  /** Stops the periodic work, then closes the connections; commands still waiting fail quietly. */
  @Override
  public void close() {
    open = false;
    timer.shutdownNow();
    pubsub.close();
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
