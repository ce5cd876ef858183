package dev.switchboard.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 */
final class RedisConnections implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<byte[], byte[]> commands;
  private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
  private final ScheduledExecutorService timer;
  private final RedisHealth health = new RedisHealth();
  private final AtomicInteger pending = new AtomicInteger();
  private final int maxPending;
  private final List<Runnable> reconnectHooks = new CopyOnWriteArrayList<>();
  private final List<Runnable> disconnectHooks = new CopyOnWriteArrayList<>();
  private volatile boolean open;

  private RedisConnections(RedisOptions options) {
    this.maxPending = options.maxPending();
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
    this.client = RedisClient.create(resources, RedisURI.create(options.uri()));
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .requestQueueSize(options.maxPending())
        .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
        .build());
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        if (open) {
          timer.execute(RedisConnections.this::reconnected);
        }
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (open) {
          health.failed(new IllegalStateException("connection to Redis lost"));
          try {
            timer.execute(RedisConnections.this::disconnected);
          } catch (RejectedExecutionException e) {
            // closing
          }
        }
      }
    });
    try {
      this.commands = client.connect(ByteArrayCodec.INSTANCE);
      this.pubsub = client.connectPubSub(ByteArrayCodec.INSTANCE);
    } catch (RuntimeException e) {
      timer.shutdownNow();
      client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
      resources.shutdown(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException("cannot connect to Redis at " + options.uri() + ": " + e.getMessage(), e);
    }
    open = true;
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

  StatefulRedisPubSubConnection<byte[], byte[]> pubsub() {
    return pubsub;
  }

  /** Runs {@code hook} on the timer thread after every reconnection. */
  void onReconnect(Runnable hook) {
    reconnectHooks.add(hook);
  }

  /** Runs {@code hook} on the timer thread whenever a connection to Redis is lost. */
  void onDisconnect(Runnable hook) {
    disconnectHooks.add(hook);
  }

  /** Sends a command without waiting; completes exceptionally when it failed or was dropped. */
  <T> CompletableFuture<T> send(Function<RedisAsyncCommands<byte[], byte[]>, RedisFuture<T>> command) {
    if (pending.incrementAndGet() > maxPending) {
      pending.decrementAndGet();
      health.dropped();
      return CompletableFuture.failedFuture(new RejectedExecutionException("too many commands waiting for Redis"));
    }
    RedisFuture<T> future;
    try {
      future = command.apply(commands.async());
    } catch (RuntimeException e) {
      pending.decrementAndGet();
      health.failed(e);
      return CompletableFuture.failedFuture(e);
    }
    return future.toCompletableFuture().whenComplete((value, error) -> {
      pending.decrementAndGet();
      if (error == null) {
        health.ok();
      } else if (open) {
        health.failed(error);
      }
    });
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

  /** Stops the periodic work, then closes the connections; commands still waiting fail quietly. */
  @Override
  public void close() {
    open = false;
    timer.shutdownNow();
    pubsub.close();
    commands.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
