package dev.switchboard.socketio;

import dev.switchboard.rooms.Rooms;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.limits.EventLimits;
import dev.switchboard.socketio.PresenceIdentity;
import dev.switchboard.presence.PresenceRule;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Optional;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Immutable Socket.IO server options; defaults match Node's socket.io 4.
 *
 * @param engine the Engine.IO options; its path is where Socket.IO is served ({@code /socket.io/} unless
 *     {@link Builder#path(String)} or the Engine.IO options name another)
 * @param connectTimeout how long a new connection may take to join a namespace before it is closed
 * @param ackTimeout how long {@code emitWithAck} waits when no timeout is given
 * @param maxAttachments most binary attachments accepted in one packet
 * @param history which rooms keep a bounded history of what is broadcast to them (none by default)
 * @param connectionStateRecovery recovery of lost connections, off by default as in Node
 * @param presence which rooms track presence and announce changes (first match wins; none by default)
 * @param presenceIdentity who a socket is for presence (and for per-user limits)
 * @param presenceDiffInterval how long a room's presence changes are gathered into one
 *     {@code presence:diff} for the connections that ask for diffs (handshake
 *     {@code auth.presenceDiff: true}); zero sends every connection one event per change
 * @param limits event rate limits and the per-user connection cap (none by default, as in Node)
 * @param serveClient whether the official browser client is served at {@code <path>socket.io.js}
 *     (also {@code .min.js}, {@code .esm.min.js} and their source maps), on by default as in Node
 * @param maxRetainedBytes most bytes this process keeps for later over all room histories and
 *     recovery logs together; past it the oldest message of any of them goes first
 * @param slowListenerThreshold an event listener that holds its event loop longer than this is
 *     logged with its duration, once per event name (zero: never)
 * @param meterRegistry where the server's meters go ({@code switchboard.*}: connections, handshakes,
 *     events, deliveries, rooms...; its cluster's and, once {@link SocketIoServer#mountOn mounted},
 *     its HTTP server's too); none by default, and then nothing is registered
 * @param parser the packets' wire format, {@link Parser#JSON} by default; clients must use the same
 *     (for {@link Parser#MSGPACK}: {@code socket.io-msgpack-parser})
 * @param handlerExecutor where event listeners, middlewares, connection and disconnect listeners
 *     and ack callbacks run, one socket's in order and different sockets' in parallel, so they may
 *     block; empty (the default) runs them on the socket's event loop, where they must not block
 * @param handlerBacklog with a handler executor, most handlers one socket may have waiting; a
 *     socket whose backlog is full when another event arrives is disconnected
 */
public record SocketIoOptions(EngineIoOptions engine, Duration connectTimeout, Duration ackTimeout, int maxAttachments,
    List<HistoryRule> history, Optional<ConnectionStateRecovery> connectionStateRecovery,
    List<PresenceRule> presence, PresenceIdentity presenceIdentity, Duration presenceDiffInterval, EventLimits limits,
    boolean serveClient, long maxRetainedBytes, Duration slowListenerThreshold, Optional<MeterRegistry> meterRegistry, Parser parser,
    Optional<Executor> handlerExecutor, int handlerBacklog) {
  public static final String DEFAULT_PATH = "/socket.io/";
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(45);
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_ATTACHMENTS = 64;
  public static final boolean DEFAULT_SERVE_CLIENT = true;
  /** Default {@link #maxRetainedBytes()}: 64 MiB. */
  public static final long DEFAULT_MAX_RETAINED_BYTES = 64L << 20;
  public static final Duration DEFAULT_SLOW_LISTENER_THRESHOLD = Duration.ofMillis(100);
  /** Default {@link #handlerBacklog()}. */
  public static final int DEFAULT_HANDLER_BACKLOG = 1_024;
  /** Default {@link #presenceDiffInterval()}. */
  public static final Duration DEFAULT_PRESENCE_DIFF_INTERVAL = Duration.ofMillis(200);
  /** Longest {@link #presenceDiffInterval()}: a diff that waits longer would show stale rooms. */
  public static final Duration MAX_PRESENCE_DIFF_INTERVAL = Duration.ofSeconds(10);

  public SocketIoOptions {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(ackTimeout, "ackTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero() || ackTimeout.isNegative() || ackTimeout.isZero()) {
      throw new IllegalArgumentException("timeouts must be positive");
    }
    if (maxAttachments < 0) {
      throw new IllegalArgumentException("maxAttachments must not be negative");
    }
    history = List.copyOf(Objects.requireNonNull(history, "history"));
    Objects.requireNonNull(connectionStateRecovery, "connectionStateRecovery");
    presence = List.copyOf(Objects.requireNonNull(presence, "presence"));
    Objects.requireNonNull(presenceIdentity, "presenceIdentity");
    Objects.requireNonNull(presenceDiffInterval, "presenceDiffInterval");
    if (presenceDiffInterval.isNegative() || presenceDiffInterval.compareTo(MAX_PRESENCE_DIFF_INTERVAL) > 0) {
      throw new IllegalArgumentException("presenceDiffInterval must be 0 to " + MAX_PRESENCE_DIFF_INTERVAL.toMillis() + " ms");
    }
    Objects.requireNonNull(limits, "limits");
    if (maxRetainedBytes <= 0) {
      throw new IllegalArgumentException("maxRetainedBytes must be positive");
    }
    Objects.requireNonNull(slowListenerThreshold, "slowListenerThreshold");
    if (slowListenerThreshold.isNegative()) {
      throw new IllegalArgumentException("slowListenerThreshold must not be negative");
    }
    Objects.requireNonNull(meterRegistry, "meterRegistry");
    Objects.requireNonNull(parser, "parser");
    Objects.requireNonNull(handlerExecutor, "handlerExecutor");
    if (handlerBacklog < 1) {
      throw new IllegalArgumentException("handlerBacklog must be at least 1");
    }
  }

  public static SocketIoOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder mutate() {
    return new Builder().engine(engine).path(engine.path()).connectTimeout(connectTimeout).ackTimeout(ackTimeout).maxAttachments(maxAttachments)
        .history(history).connectionStateRecovery(connectionStateRecovery)
        .presence(presence).presenceIdentity(presenceIdentity).presenceDiffInterval(presenceDiffInterval).limits(limits).serveClient(serveClient)
        .maxRetainedBytes(maxRetainedBytes).slowListenerThreshold(slowListenerThreshold)
        .meterRegistry(meterRegistry).parser(parser).handlerExecutor(handlerExecutor).handlerBacklog(handlerBacklog);
  }

  public String path() {
    return engine.path();
  }

  public static final class Builder {
    private EngineIoOptions engine = EngineIoOptions.defaults();
    /** Set by {@link #path(String)}; else taken from {@link #engine}, see {@link #build()}. */
    private String path;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;
    private int maxAttachments = DEFAULT_MAX_ATTACHMENTS;
    private List<HistoryRule> history = List.of();
    private ConnectionStateRecovery connectionStateRecovery;
    private List<PresenceRule> presence = List.of();
    private PresenceIdentity presenceIdentity = PresenceIdentity.DEFAULT;
    private Duration presenceDiffInterval = DEFAULT_PRESENCE_DIFF_INTERVAL;
    private EventLimits limits = EventLimits.NONE;
    private boolean serveClient = DEFAULT_SERVE_CLIENT;
    private long maxRetainedBytes = DEFAULT_MAX_RETAINED_BYTES;
    private Duration slowListenerThreshold = DEFAULT_SLOW_LISTENER_THRESHOLD;
    private Optional<MeterRegistry> meterRegistry = Optional.empty();
    private Parser parser = Parser.JSON;
    private Optional<Executor> handlerExecutor = Optional.empty();
    private int handlerBacklog = DEFAULT_HANDLER_BACKLOG;

    private Builder() {}

    /** The packets' wire format, like Node's {@code parser} option; default {@link Parser#JSON}. */
    public Builder parser(Parser parser) {
      this.parser = Objects.requireNonNull(parser, "parser");
      return this;
    }

    /**
     * Runs the handlers of every socket (event, connection and disconnect listeners, middlewares,
     * ack callbacks) on {@code executor} instead of the event loop: one socket's one at a time in
     * arrival order, different sockets' in parallel, so they may block on JDBC, HTTP or locks.
     * Socket and broadcast operations are safe from any thread. The executor should not queue
     * behind a small pool: a lane holds one of its threads while its handlers block.
     */
    public Builder handlerExecutor(Executor executor) {
      this.handlerExecutor = Optional.of(executor);
      return this;
    }

    /** {@link #handlerExecutor(Executor)}, or the event loop when empty (the default). */
    public Builder handlerExecutor(Optional<Executor> executor) {
      this.handlerExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * {@link #handlerExecutor(Executor)} with a virtual thread for each socket that has handlers
     * to run, so blocking code costs no platform thread.
     */
    public Builder virtualThreadHandlers() {
      return handlerExecutor(VirtualThreadHandlers.EXECUTOR);
    }

    /**
     * Most handlers one socket may have waiting on the handler executor ({@value #DEFAULT_HANDLER_BACKLOG}
     * by default): a client that sends faster than its handlers finish is disconnected past it,
     * so memory stays bounded.
     */
    public Builder handlerBacklog(int handlerBacklog) {
      this.handlerBacklog = handlerBacklog;
      return this;
    }

    /**
     * Registers the server's meters in {@code registry} (see README's metrics section for each
     * one); its cluster and, through {@link SocketIoServer#mountOn}, its HTTP server use it too.
     * One registry serves one server. Default: none, nothing registered or probed.
     */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = Optional.of(registry);
      return this;
    }

    /** {@link #meterRegistry(MeterRegistry)}, or none when empty. */
    public Builder meterRegistry(Optional<MeterRegistry> registry) {
      this.meterRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Whether to serve the official browser client under the path, like Node's {@code serveClient} (default true). */
    public Builder serveClient(boolean serveClient) {
      this.serveClient = serveClient;
      return this;
    }

    /** See {@link SocketIoOptions#maxRetainedBytes()}; default {@link #DEFAULT_MAX_RETAINED_BYTES}. */
    public Builder maxRetainedBytes(long maxRetainedBytes) {
      this.maxRetainedBytes = maxRetainedBytes;
      return this;
    }

    /**
     * A listener holding its event loop longer than this is logged with its duration, once per
     * event name (100 ms by default; zero turns it off).
     */
    public Builder slowListenerThreshold(Duration slowListenerThreshold) {
      this.slowListenerThreshold = slowListenerThreshold;
      return this;
    }

    public Builder limits(EventLimits limits) {
      this.limits = limits;
      return this;
    }

    /** Rooms matching these rules track presence (first match wins), e.g. {@code new PresenceRule("*", true, true)}. */
    public Builder presence(List<PresenceRule> presence) {
      this.presence = presence;
      return this;
    }

    public Builder presenceIdentity(PresenceIdentity presenceIdentity) {
      this.presenceIdentity = presenceIdentity;
      return this;
    }

    /**
     * How long a room's presence changes are gathered into one {@code presence:diff} for the
     * connections that ask for diffs (default {@link SocketIoOptions#DEFAULT_PRESENCE_DIFF_INTERVAL});
     * zero turns diffs off, so every connection gets one event per change.
     */
    public Builder presenceDiffInterval(Duration presenceDiffInterval) {
      this.presenceDiffInterval = presenceDiffInterval;
      return this;
    }

    /** Turns connection state recovery on with {@code recovery}. */
    public Builder connectionStateRecovery(ConnectionStateRecovery recovery) {
      this.connectionStateRecovery = Objects.requireNonNull(recovery, "recovery");
      return this;
    }

    /** Turns connection state recovery on with {@code recovery}, or off when empty (the default). */
    public Builder connectionStateRecovery(Optional<ConnectionStateRecovery> recovery) {
      this.connectionStateRecovery = recovery.orElse(null);
      return this;
    }

    /**
     * Rooms matching these rules keep a bounded history (first match wins); a broadcast to one
     * such room gets a position that SSE streams resume from.
     */
    public Builder history(List<HistoryRule> history) {
      this.history = history;
      return this;
    }

    /**
     * The Engine.IO options. Their path counts only when it is not Engine.IO's default
     * ({@code /engine.io/}): options built just to change a timeout leave Socket.IO at
     * {@code /socket.io/}. {@link #path(String)} wins over both.
     */
    public Builder engine(EngineIoOptions engine) {
      this.engine = engine;
      return this;
    }

    /** Where Socket.IO is served; default {@code /socket.io/}. */
    public Builder path(String path) {
      this.path = path;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    public Builder ackTimeout(Duration ackTimeout) {
      this.ackTimeout = ackTimeout;
      return this;
    }

    public Builder maxAttachments(int maxAttachments) {
      this.maxAttachments = maxAttachments;
      return this;
    }

    public SocketIoOptions build() {
      String chosen = path != null ? path
          : engine.path().equals(EngineIoOptions.DEFAULT_PATH) ? DEFAULT_PATH : engine.path();
      EngineIoOptions engine = this.engine.mutate().path(chosen).build();
      return new SocketIoOptions(engine, connectTimeout, ackTimeout, maxAttachments, history,
          Optional.ofNullable(connectionStateRecovery), presence, presenceIdentity, presenceDiffInterval, limits, serveClient,
          maxRetainedBytes, slowListenerThreshold, meterRegistry, parser, handlerExecutor, handlerBacklog);
    }
  }

  /** A new virtual thread for each task: a socket's lane holds one while it has handlers to run. */
  private static final class VirtualThreadHandlers {
    static final Executor EXECUTOR = task -> Thread.ofVirtual().name("switchboard-handler").start(task);
  }
}
