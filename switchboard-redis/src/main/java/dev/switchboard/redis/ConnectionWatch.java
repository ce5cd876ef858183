package dev.switchboard.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ReconnectAttemptEvent;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Learns when a connection to Redis is lost and made again, and runs the hooks that forget and
 * restore this node's state; nothing runs before the node is open nor after it is closed.
 */
final class ConnectionWatch {
  private static final Logger log = LoggerFactory.getLogger(ConnectionWatch.class);

  private final ScheduledExecutorService timer;
  private final RedisHealth health;
  private final BooleanSupplier open;
  private final List<Runnable> reconnectHooks = new CopyOnWriteArrayList<>();
  private final List<Runnable> disconnectHooks = new CopyOnWriteArrayList<>();
  private final List<Runnable> lostHooks = new CopyOnWriteArrayList<>();
  /** On a cluster, the addresses of the nodes whose connection Lettuce is making again. */
  private final Set<SocketAddress> reconnecting = ConcurrentHashMap.newKeySet();

  ConnectionWatch(ScheduledExecutorService timer, RedisHealth health, BooleanSupplier open) {
    this.timer = timer;
    this.health = health;
    this.open = open;
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

  /** A connection is lost, or about to be dropped: runs the {@link #onLost} hooks here and now. */
  void lost() {
    lostHooks.forEach(Runnable::run);
  }

  /** On one server: each connection lost counts as an outage, each connection made after start is a reconnection. */
  void watch(RedisClient single) {
    single.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        if (open.getAsBoolean()) {
          timer.execute(ConnectionWatch.this::reconnected);
        }
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        if (open.getAsBoolean()) {
          lost();
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
  void watch(ClientResources resources, ShardedPubSub sharded, FailoverWatch failovers) {
    resources.eventBus().get().subscribe(event -> {
      if (!open.getAsBoolean()) {
        return;
      }
      if (event instanceof ReconnectAttemptEvent attempt && reconnecting.add(attempt.remoteAddress())) {
        lost();
        health.failed(new IllegalStateException("connection to Redis lost (" + attempt.remoteAddress() + ")"));
        sharded.forget(attempt.remoteAddress());
        failovers.lost(attempt.remoteAddress());
        runDisconnected();
      } else if (event instanceof ConnectionActivatedEvent activated && reconnecting.remove(activated.remoteAddress())) {
        failovers.reconnected(activated.remoteAddress());
        timer.execute(this::reconnected);
      }
    });
  }

  /**
   * The slots of the lost master at {@code address} have a new owner, which commands and
   * subscriptions now reach: the hooks run as after a reconnection.
   */
  void followed(SocketAddress address) {
    if (reconnecting.remove(address) && open.getAsBoolean()) {
      try {
        timer.execute(this::reconnected);
      } catch (RejectedExecutionException e) {
        // closing
      }
    }
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
}
