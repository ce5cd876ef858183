package dev.switchboard.http;

import dev.switchboard.http.internal.ConnectionCaps;
import dev.switchboard.http.internal.HttpChannelInitializer;
import dev.switchboard.http.internal.LoopProbes;
import dev.switchboard.http.internal.Meters;
import dev.switchboard.http.internal.Traffic;
import io.micrometer.core.instrument.MeterRegistry;
import dev.switchboard.limits.ConnectionLimits;
import dev.switchboard.http.internal.Router;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty HTTP/1.1 server every Switchboard endpoint is mounted on: one pipeline, routes
 * chosen by path prefix (longest first). Uses the epoll transport when it is available
 * (io_uring when asked for; see {@link NetworkTransport}).
 */
public final class HttpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** Largest request body accepted by default (matches Engine.IO's default maxHttpBufferSize). */
  public static final int DEFAULT_MAX_CONTENT_LENGTH = 1_000_000;
  /** How long a connection may take to send a request's head, from its first byte (or from opening). */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
  /** How long a keep-alive connection may wait for its next request (or a request body stall). */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

  private final String host;
  private final int requestedPort;
  private final int maxContentLength;
  private final Duration headerTimeout;
  private final Duration idleTimeout;
  private final ConnectionCaps caps;
  private final Router router;
  private final EventLoopGroup bossGroup;
  private final EventLoopGroup workerGroup;
  private final NetworkTransport transport;
  private final Traffic traffic = new Traffic();
  private final Meters meters;
  private volatile LoopProbes probes;
  private volatile Channel serverChannel;

  private HttpServer(Builder builder) {
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.maxContentLength = builder.maxContentLength;
    this.headerTimeout = builder.headerTimeout;
    this.idleTimeout = builder.idleTimeout;
    this.caps = new ConnectionCaps(builder.connectionLimits);
    this.router = new Router(builder.routes);
    this.transport = builder.transport.orFallback();
    this.meters = Meters.of(builder.meterRegistry);
    int workers = builder.workerThreads > 0 ? builder.workerThreads : Runtime.getRuntime().availableProcessors();
    this.bossGroup = new MultiThreadIoEventLoopGroup(1, transport.ioHandlers());
    this.workerGroup = new MultiThreadIoEventLoopGroup(workers, transport.ioHandlers());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the listening socket; returns once the server accepts connections. */
  public HttpServer start() {
    Class<? extends ServerSocketChannel> channelType = transport.serverChannel();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(bossGroup, workerGroup)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024))
        .childHandler(new HttpChannelInitializer(router, maxContentLength, caps, headerTimeout, idleTimeout, traffic));
    try {
      serverChannel = bootstrap.bind(host, requestedPort).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + host + ":" + requestedPort, e);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
    }
    log.debug("listening on {}:{} ({} transport)", host, port(), transport);
    if (meters.on()) {
      traffic.bind(meters);
      caps.bind(meters);
      probes = LoopProbes.start(workerGroup, meters);
    }
    return this;
  }

  /** Bytes read from client connections so far (HTTP requests, WebSocket frames). */
  public long bytesReceived() {
    return traffic.bytesReceived();
  }

  /** Bytes written to client connections so far: bodies, WebSocket frames, SSE chunks (not HTTP headers). */
  public long bytesSent() {
    return traffic.bytesSent();
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    Channel channel = serverChannel;
    if (channel == null) {
      throw new IllegalStateException("not started");
    }
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  public String host() {
    return host;
  }

  /** The event loops that serve connections; sessions and rooms are sharded over them. */
  public EventLoopGroup eventLoops() {
    return workerGroup;
  }

  /** Whether a native transport (epoll or io_uring) serves the connections. */
  public boolean nativeTransport() {
    return transport != NetworkTransport.NIO;
  }

  /** The transport serving the connections (the one asked for, or its fallback). */
  public NetworkTransport transport() {
    return transport;
  }

  /** Stops accepting connections and closes every open connection. */
  @Override
  public void close() {
    close(Duration.ZERO);
  }

  public void close(Duration quietPeriod) {
    LoopProbes running = probes;
    if (running != null) {
      running.stop();
    }
    meters.close();
    Channel channel = serverChannel;
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    router.stopping();
    long quiet = quietPeriod.toMillis();
    bossGroup.shutdownGracefully(0, Math.max(quiet, 100), TimeUnit.MILLISECONDS);
    workerGroup.shutdownGracefully(quiet, Math.max(quiet, 2000), TimeUnit.MILLISECONDS).syncUninterruptibly();
  }

  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 3000;
    private int workerThreads;
    private int maxContentLength = DEFAULT_MAX_CONTENT_LENGTH;
    private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private ConnectionLimits connectionLimits = ConnectionLimits.NONE;
    private NetworkTransport transport = NetworkTransport.EPOLL;
    private java.util.Optional<MeterRegistry> meterRegistry = java.util.Optional.empty();
    private final Map<String, HttpRoute> routes = new LinkedHashMap<>();

    private Builder() {}

    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The port to bind; 0 picks a free one. Default 3000. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Event-loop threads serving connections; default one per core. */
    public Builder workerThreads(int workerThreads) {
      this.workerThreads = workerThreads;
      return this;
    }

    /** Largest request body; bigger bodies are answered 413. */
    public Builder maxContentLength(int maxContentLength) {
      this.maxContentLength = maxContentLength;
      return this;
    }

    /**
     * How long a connection may take to send a complete request head, counted from the head's
     * first byte (from the connection's opening for its first request); slower connections
     * (trickled headers, sockets that send nothing) are closed. Default 10 s.
     */
    public Builder headerTimeout(Duration headerTimeout) {
      this.headerTimeout = positive(headerTimeout, "headerTimeout");
      return this;
    }

    /**
     * How long a keep-alive connection may wait for its next request, and a request body may
     * stall, before the connection is closed. Requests being served (long polls) and connections
     * that became WebSockets or SSE streams are not affected. Keep it above the Engine.IO ping
     * interval, so that a polling client's connection is reused rather than reopened. Default 60 s.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive(idleTimeout, "idleTimeout");
      return this;
    }

    /**
     * Caps on open connections, total and per client IP address, counted as TCP connections are
     * accepted: a connection over a cap is answered 503 {@code TOO_MANY_CONNECTIONS} and closed.
     * The rate of new connections per IP is checked at the Engine.IO handshake only.
     * {@code SocketIoServer.mountOn} sets the Engine.IO options' caps. Default none.
     */
    public Builder connectionLimits(ConnectionLimits connectionLimits) {
      this.connectionLimits = java.util.Objects.requireNonNull(connectionLimits, "connectionLimits");
      return this;
    }

    private static Duration positive(Duration duration, String name) {
      java.util.Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return duration;
    }

    /**
     * Where the server's meters go: bytes read and written, connections cut as slow consumers,
     * and each event loop's lag and pending tasks (probed only with a registry). None by default;
     * {@code SocketIoServer.mountOn} sets the Socket.IO options' registry.
     */
    public Builder meterRegistry(MeterRegistry meterRegistry) {
      this.meterRegistry = java.util.Optional.of(meterRegistry);
      return this;
    }

    /** Whether to use epoll when available (default true); false means NIO. */
    public Builder nativeTransport(boolean nativeTransport) {
      this.transport = nativeTransport ? NetworkTransport.EPOLL : NetworkTransport.NIO;
      return this;
    }

    /**
     * The kernel interface of the event loops (default {@link NetworkTransport#EPOLL}); one the
     * system does not offer falls back to epoll, then NIO.
     */
    public Builder transport(NetworkTransport transport) {
      this.transport = java.util.Objects.requireNonNull(transport, "transport");
      return this;
    }

    /**
     * Mounts {@code route} on every path that equals {@code prefix} or starts with it. A prefix
     * ending in '/' also matches the path without its trailing slash.
     */
    public Builder route(String prefix, HttpRoute route) {
      if (!prefix.startsWith("/")) {
        throw new IllegalArgumentException("route prefix must start with '/': " + prefix);
      }
      if (routes.putIfAbsent(prefix, route) != null) {
        throw new IllegalArgumentException("a route is already mounted on " + prefix);
      }
      return this;
    }

    public HttpServer build() {
      return new HttpServer(this);
    }
  }
}
