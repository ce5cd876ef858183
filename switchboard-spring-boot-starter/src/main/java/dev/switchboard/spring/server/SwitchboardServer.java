package dev.switchboard.spring.server;

import dev.switchboard.http.HttpServer;
import dev.switchboard.redis.RedisCluster;
import dev.switchboard.redis.RedisOptions;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.socketio.DrainReport;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Switchboard server of an application context: its {@link SocketIoServer} exists from the
 * start, so that controllers and middlewares are in place before the first client; the HTTP
 * server listens once the context has started, and the context's stop drains the server
 * ({@link SocketIoServer#drain}: clients disconnected over {@code switchboard.drain-window}, within
 * {@code switchboard.drain-timeout}) before closing it.
 */
public final class SwitchboardServer implements SmartLifecycle, AutoCloseable {
  /** Starts after and stops before the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}). */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;
  private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);

  private final ServerConfig config;
  private final SocketIoServer io;
  private final Optional<RedisCluster> cluster;
  private final AtomicReference<HttpServer> http = new AtomicReference<>();
  private volatile boolean closed;

  private SwitchboardServer(ServerConfig config, SocketIoServer io, Optional<RedisCluster> cluster) {
    this.config = config;
    this.io = io;
    this.cluster = cluster;
  }

  /**
   * The server {@code config} describes, its Socket.IO options adjusted by {@code options} (the
   * handler executor, the meter registry); a node of the Redis cluster when {@code config} names one.
   */
  public static SwitchboardServer create(ServerConfig config, java.util.function.UnaryOperator<SocketIoOptions.Builder> options) {
    SocketIoOptions socketIo = options.apply(config.socketIo().mutate()).build();
    Optional<RedisCluster> cluster = config.redis().map(uri -> RedisCluster.connect(RedisOptions.of(uri)
        .withCommandTimeout(config.redisTimeout()).withWire(config.redisWire())
        .withLiveSessions(config.redisLiveSessions())));
    SocketIoServer io = cluster.map(node -> SocketIoServer.create(socketIo, node)).orElseGet(() -> SocketIoServer.create(socketIo));
    return new SwitchboardServer(config, io, cluster);
  }

  public SocketIoServer io() {
    return io;
  }

  public ServerConfig config() {
    return config;
  }

  /** The port listened on; {@link IllegalStateException} before {@link #start()}. */
  public int port() {
    HttpServer started = http.get();
    if (started == null) {
      throw new IllegalStateException("the Switchboard server is not started");
    }
    return started.port();
  }

  @Override
  public void start() {
    if (closed || http.get() != null) {
      return;
    }
    HttpServer started = io.mountOn(config.httpServer())
        .build().start();
    http.set(started);
    log.info("Switchboard listening on {}:{}, Socket.IO at {}", config.host(), started.port(), config.socketIo().path());
  }

  /** Drains, then closes; the context waits for {@code callback} up to its shutdown phase timeout. */
  @Override
  public void stop(Runnable callback) {
    if (http.get() == null) {
      callback.run();
      return;
    }
    io.drain(config.drain()).whenComplete((report, error) -> {
      try {
        report(report, error);
        close();
      } finally {
        callback.run();
      }
    });
  }

  @Override
  public void stop() {
    stop(() -> { });
  }

  private static void report(DrainReport report, Throwable error) {
    if (error != null) {
      log.warn("drain failed: {}", error.toString());
    } else if (!report.complete()) {
      log.warn("drain incomplete: {} connections or streams cut at the timeout", report.cut());
    }
  }

  @Override
  public boolean isRunning() {
    return http.get() != null && !closed;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** Disconnects every client, stops listening and leaves the cluster; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    io.close();
    Optional.ofNullable(http.get()).ifPresent(server -> server.close(Duration.ofMillis(200)));
    cluster.ifPresent(RedisCluster::close);
  }
}
