package dev.switchboard.engineio;

import dev.switchboard.http.CorsOptions;
import dev.switchboard.limits.ConnectionLimits;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Immutable Engine.IO server options. Defaults match Node's engine.io v6.
 *
 * @param path where the server is mounted, with a trailing slash
 * @param pingInterval how often the server pings each session
 * @param pingTimeout how long the server waits for a pong before closing the session
 * @param upgradeTimeout how long an upgrade from polling to WebSocket may take
 * @param maxHttpBufferSize largest message (WebSocket) or POST body (polling) accepted, in bytes
 * @param transports the transports clients may use
 * @param allowUpgrades whether polling sessions may upgrade to WebSocket
 * @param cors cross-origin rules: which origins browsers may connect from; when it names origins,
 *     requests (polling, WebSocket upgrades) from any other origin are refused
 * @param maxBufferedBytes most bytes that may wait to be sent to one client; a client that stops
 *     reading is closed as a slow consumer when it has more
 * @param connectionLimits caps on connections, total, per IP and per second per IP
 * @param writeDelay how long written packets may wait before they are flushed; zero (the default)
 *     flushes at the end of the event-loop turn that wrote them. A few milliseconds let the
 *     messages a busy connection receives in that time leave in one write, at that much latency.
 * @param webSocketCompression permessage-deflate for clients that offer it; none (off) by default, as in Node
 */
public record EngineIoOptions(
    String path,
    Duration pingInterval,
    Duration pingTimeout,
    Duration upgradeTimeout,
    int maxHttpBufferSize,
    Set<Transport> transports,
    boolean allowUpgrades,
    CorsOptions cors,
    int maxBufferedBytes,
    ConnectionLimits connectionLimits,
    Duration writeDelay,
    Optional<WebSocketCompression> webSocketCompression) {

  public static final String DEFAULT_PATH = "/engine.io/";
  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(25);
  public static final Duration DEFAULT_PING_TIMEOUT = Duration.ofSeconds(20);
  public static final Duration DEFAULT_UPGRADE_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_HTTP_BUFFER_SIZE = 1_000_000;
  /** Default outbound budget per connection: 1 MiB waiting unsent closes the connection. */
  public static final int DEFAULT_MAX_BUFFERED_BYTES = 1 << 20;
  /** Longest {@link #writeDelay()}: beyond it, latency costs more than fewer writes save. */
  public static final Duration MAX_WRITE_DELAY = Duration.ofMillis(100);

  public EngineIoOptions {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + path);
    }
    path = path.endsWith("/") ? path : path + "/";
    requirePositive(pingInterval, "pingInterval");
    requirePositive(pingTimeout, "pingTimeout");
    requirePositive(upgradeTimeout, "upgradeTimeout");
    if (maxHttpBufferSize <= 0) {
      throw new IllegalArgumentException("maxHttpBufferSize must be positive");
    }
    if (transports.isEmpty()) {
      throw new IllegalArgumentException("at least one transport is required");
    }
    transports = Set.copyOf(transports);
    Objects.requireNonNull(cors, "cors");
    Objects.requireNonNull(connectionLimits, "connectionLimits");
    if (maxBufferedBytes <= 0) {
      throw new IllegalArgumentException("maxBufferedBytes must be positive");
    }
    Objects.requireNonNull(writeDelay, "writeDelay");
    if (writeDelay.isNegative() || writeDelay.compareTo(MAX_WRITE_DELAY) > 0) {
      throw new IllegalArgumentException("writeDelay must be between 0 and " + MAX_WRITE_DELAY.toMillis() + " ms");
    }
    Objects.requireNonNull(webSocketCompression, "webSocketCompression");
  }

  public static EngineIoOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to derive changed copies. */
  public Builder mutate() {
    return new Builder()
        .path(path).pingInterval(pingInterval).pingTimeout(pingTimeout).upgradeTimeout(upgradeTimeout)
        .maxHttpBufferSize(maxHttpBufferSize).transports(transports).allowUpgrades(allowUpgrades)
        .cors(cors).maxBufferedBytes(maxBufferedBytes).connectionLimits(connectionLimits).writeDelay(writeDelay)
        .webSocketCompression(webSocketCompression);
  }

  /** Whether a session on {@code transport} may be offered an upgrade. */
  public boolean upgradesFrom(Transport transport) {
    return allowUpgrades && transport == Transport.POLLING && transports.contains(Transport.WEBSOCKET);
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  public static final class Builder {
    private String path = DEFAULT_PATH;
    private Duration pingInterval = DEFAULT_PING_INTERVAL;
    private Duration pingTimeout = DEFAULT_PING_TIMEOUT;
    private Duration upgradeTimeout = DEFAULT_UPGRADE_TIMEOUT;
    private Duration writeDelay = Duration.ZERO;
    private int maxHttpBufferSize = DEFAULT_MAX_HTTP_BUFFER_SIZE;
    private Set<Transport> transports = EnumSet.allOf(Transport.class);
    private boolean allowUpgrades = true;
    private CorsOptions cors = CorsOptions.DISABLED;
    private int maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
    private ConnectionLimits connectionLimits = ConnectionLimits.NONE;
    private Optional<WebSocketCompression> webSocketCompression = Optional.empty();

    private Builder() {}

    /** Turns permessage-deflate on with {@code compression}; off by default, as in Node. */
    public Builder webSocketCompression(WebSocketCompression compression) {
      this.webSocketCompression = Optional.of(compression);
      return this;
    }

    /** {@link #webSocketCompression(WebSocketCompression)}, or off when empty. */
    public Builder webSocketCompression(Optional<WebSocketCompression> compression) {
      this.webSocketCompression = Objects.requireNonNull(compression, "compression");
      return this;
    }

    public Builder path(String path) {
      this.path = path;
      return this;
    }

    public Builder pingInterval(Duration pingInterval) {
      this.pingInterval = pingInterval;
      return this;
    }

    public Builder pingTimeout(Duration pingTimeout) {
      this.pingTimeout = pingTimeout;
      return this;
    }

    public Builder upgradeTimeout(Duration upgradeTimeout) {
      this.upgradeTimeout = upgradeTimeout;
      return this;
    }

    public Builder maxHttpBufferSize(int maxHttpBufferSize) {
      this.maxHttpBufferSize = maxHttpBufferSize;
      return this;
    }

    public Builder transports(Set<Transport> transports) {
      this.transports = transports.isEmpty() ? EnumSet.noneOf(Transport.class) : EnumSet.copyOf(transports);
      return this;
    }

    public Builder transports(Transport first, Transport... rest) {
      this.transports = EnumSet.of(first, rest);
      return this;
    }

    public Builder allowUpgrades(boolean allowUpgrades) {
      this.allowUpgrades = allowUpgrades;
      return this;
    }

    public Builder cors(CorsOptions cors) {
      this.cors = cors;
      return this;
    }

    public Builder maxBufferedBytes(int maxBufferedBytes) {
      this.maxBufferedBytes = maxBufferedBytes;
      return this;
    }

    public Builder connectionLimits(ConnectionLimits connectionLimits) {
      this.connectionLimits = connectionLimits;
      return this;
    }

    /** See {@link EngineIoOptions#writeDelay()}; default zero. */
    public Builder writeDelay(Duration writeDelay) {
      this.writeDelay = writeDelay;
      return this;
    }

    public EngineIoOptions build() {
      return new EngineIoOptions(path, pingInterval, pingTimeout, upgradeTimeout, maxHttpBufferSize,
          transports, allowUpgrades, cors, maxBufferedBytes, connectionLimits, writeDelay, webSocketCompression);
    }
  }
}
