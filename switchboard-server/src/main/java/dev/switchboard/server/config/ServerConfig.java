package dev.switchboard.server.config;

import dev.switchboard.http.CorsOptions;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.http.HttpServer;
import dev.switchboard.http.NetworkTransport;
import dev.switchboard.engineio.Transport;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.limits.ConnectionLimits;
import dev.switchboard.limits.EventLimits;
import dev.switchboard.limits.RateLimit;
import java.util.Map;
import java.util.Optional;
import dev.switchboard.presence.PresenceRule;
import dev.switchboard.redis.RedisWire;
import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.socketio.DrainOptions;
import dev.switchboard.engineio.WebSocketCompression;
import dev.switchboard.socketio.Parser;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.server.webhooks.WebhookOptions;
import dev.switchboard.webrtc.SfuOptions;
import dev.switchboard.webrtc.SignalingMode;
import dev.switchboard.webrtc.SignalingOptions;
import dev.switchboard.webrtc.TurnOptions;
import dev.switchboard.webrtc.WebRtcSignaling;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The standalone server's configuration, typed and validated. Each setting maps onto the library
 * builder method of the same name ({@code ping-interval} -> {@code EngineIoOptions.Builder.pingInterval}).
 *
 * @param host the listen address
 * @param port the listen port
 * @param workerThreads event-loop threads, 0 for one per core
 * @param transport how the event loops talk to the kernel (epoll, io_uring or NIO)
 * @param demo whether the demo app is served
 * @param socketIo the Socket.IO (and Engine.IO) options
 * @param llm the model behind the chat endpoint
 * @param sse the SSE room endpoint
 * @param auth authentication and room authorization; {@link AuthConfig#OPEN} when none is configured
 * @param redis the Redis URI of the cluster this server is a node of; empty for a single node
 * @param timeouts when idle or incomplete HTTP connections are closed
 * @param redisTimeout how long one Redis command may take before Redis counts as stalled
 * @param redisWire the format nodes talk to each other in over Redis: Switchboard's own or the Node adapter's
 * @param redisLiveSessions whether connected sockets' recoverable state is kept in Redis as it changes, so that
 *     clients of a node killed without a word recover on another node
 * @param api the server API's keys and the Redis channel backends publish to
 * @param signaling the WebRTC signaling relay and the size of calls
 * @param turn how TURN credentials are minted; {@link TurnOptions#NONE} when no secret is configured
 * @param sfu how SFU tokens are minted; {@link SfuOptions#NONE} when no API key is configured
 * @param observability the metrics endpoint and the format of log lines
 * @param webhooks where events go to the app's backend; {@link WebhookOptions#NONE} for nowhere
 * @param drain how SIGTERM drains the server: its window and timeout
 * @param admin the Admin UI's server half; empty when {@code --admin} is off
 */
public record ServerConfig(String host, int port, int workerThreads, NetworkTransport transport, boolean demo, SocketIoOptions socketIo, LlmConfig llm,
    SseConfig sse, AuthConfig auth, Optional<String> redis, HttpTimeouts timeouts,
    Duration redisTimeout, RedisWire redisWire, boolean redisLiveSessions, ServerApiConfig api, SignalingOptions signaling, TurnOptions turn, SfuOptions sfu,
    ObservabilityConfig observability, WebhookOptions webhooks, DrainOptions drain, Optional<AdminConfig> admin) {

  /**
   * What the server tells its operators.
   *
   * @param metricsPath where Prometheus metrics are served; empty when they are off
   * @param logFormat how log lines are written
   */
  public record ObservabilityConfig(Optional<String> metricsPath, LogFormat logFormat) {}

  /** How log lines are written to standard error. */
  public enum LogFormat {
    /** One readable line per event. */
    TEXT,
    /** One JSON object per line. */
    JSON
  }

  /**
   * The server API and the Redis channel of the backend pattern.
   *
   * @param keys the API keys; none disables the server API
   * @param publishChannel the Redis channel whose {@code {room, event, data}} messages are delivered; empty for none
   */
  public record ServerApiConfig(List<String> keys, Optional<String> publishChannel) {
    public ServerApiConfig {
      keys = List.copyOf(keys);
    }

    /** Without the keys, which must not reach a log. */
    @Override
    public String toString() {
      return "ServerApiConfig[keys=" + keys.size() + " set, publishChannel=" + publishChannel.orElse("none") + "]";
    }
  }

  /**
   * When HTTP connections that hold a descriptor without using it are closed.
   *
   * @param header how long a request head may take
   * @param idle how long a keep-alive connection may wait for its next request
   */
  public record HttpTimeouts(Duration header, Duration idle) {}

  /**
   * Where SSE room streams are served and how often idle ones get a heartbeat.
   *
   * @param path the endpoint path
   * @param heartbeat the interval of heartbeat comments
   */
  public record SseConfig(String path, Duration heartbeat) {}

  /** Shortest API key accepted. */
  static final int MIN_API_KEY_LENGTH = 16;
  /** The longest duration a setting takes: beyond it, arithmetic on it may overflow. */
  private static final Duration MAX_DURATION = Duration.ofDays(365);
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  /** An HTTP server builder listening as this configuration says (address, threads, transport, timeouts). */
  public HttpServer.Builder httpServer() {
    return HttpServer.builder()
        .host(host)
        .port(port)
        .workerThreads(workerThreads)
        .transport(transport)
        .headerTimeout(timeouts.header())
        .idleTimeout(timeouts.idle());
  }

  public static ServerConfig from(ConfigValues values) {
    try {
      return build(values);
    } catch (IllegalArgumentException e) {
      // A value each setting's own check let through but the options refuse (a combination of
      // settings, a bound the options hold): still a configuration error, told as one.
      throw new ConfigException("invalid configuration: " + e.getMessage());
    }
  }

  private static ServerConfig build(ConfigValues values) {
    for (Setting path : List.of(Settings.PATH, Settings.SSE_PATH)) {
      if (!values.get(path).startsWith("/")) {
        throw invalid(values, path, "must start with '/'");
      }
    }
    Set<Transport> transports = EnumSet.noneOf(Transport.class);
    for (String name : list(values, Settings.TRANSPORTS)) {
      transports.add(Transport.fromWireName(name).orElseThrow(() -> invalid(values, Settings.TRANSPORTS,
          "unknown transport '" + name + "' (use polling and/or websocket)")));
    }
    if (transports.isEmpty()) {
      throw invalid(values, Settings.TRANSPORTS, "at least one transport is required");
    }
    List<String> origins = list(values, Settings.ALLOWED_ORIGINS);
    EngineIoOptions engine = EngineIoOptions.builder()
        .path(values.get(Settings.PATH))
        .pingInterval(duration(values, Settings.PING_INTERVAL))
        .pingTimeout(duration(values, Settings.PING_TIMEOUT))
        .upgradeTimeout(duration(values, Settings.UPGRADE_TIMEOUT))
        .maxHttpBufferSize(integer(values, Settings.MAX_HTTP_BUFFER_SIZE, 1, Integer.MAX_VALUE))
        .transports(transports)
        .allowUpgrades(bool(values, Settings.ALLOW_UPGRADES))
        // Credentials even with "*": cookie-authenticated SSE from the app's origin needs them.
        .cors(origins.isEmpty() ? CorsOptions.DISABLED : CorsOptions.allow(origins.toArray(String[]::new)).withCredentials())
        .maxBufferedBytes(integer(values, Settings.MAX_BUFFERED_BYTES, 1024, Integer.MAX_VALUE))
        .writeDelay(writeDelay(values))
        .webSocketCompression(bool(values, Settings.WS_COMPRESSION)
            ? Optional.of(WebSocketCompression.defaults().withThreshold(
                integer(values, Settings.WS_COMPRESSION_THRESHOLD, 0, Integer.MAX_VALUE)))
            : Optional.empty())
        .connectionLimits(new ConnectionLimits(
            integer(values, Settings.MAX_CONNECTIONS, 0, Integer.MAX_VALUE),
            integer(values, Settings.MAX_CONNECTIONS_PER_IP, 0, Integer.MAX_VALUE),
            rate(values, Settings.NEW_CONNECTIONS_PER_IP)))
        .build();
    int historyLength = integer(values, Settings.HISTORY_MAX_LENGTH, 0, 1_000_000);
    AuthConfig auth = AuthConfig.from(values);
    SocketIoOptions socketIo = SocketIoOptions.builder()
        .engine(engine)
        .path(values.get(Settings.PATH))
        .connectTimeout(duration(values, Settings.CONNECT_TIMEOUT))
        .serveClient(bool(values, Settings.SERVE_CLIENT))
        .parser(parser(values))
        .history(historyLength == 0 ? List.of() : List.of(new HistoryRule("*", historyLength, duration(values, Settings.HISTORY_TTL),
            integer(values, Settings.HISTORY_MAX_BYTES, 1, Integer.MAX_VALUE))))
        .presence(presenceRules(values))
        .presenceDiffInterval(presenceDiffInterval(values))
        .connectionStateRecovery(bool(values, Settings.RECOVERY)
            ? Optional.of(new ConnectionStateRecovery(duration(values, Settings.MAX_DISCONNECTION), !auth.enabled(),
                integer(values, Settings.RECOVERY_MAX_BYTES, 1, Integer.MAX_VALUE))) : Optional.empty())
        .maxRetainedBytes(integer(values, Settings.MAX_RETAINED_BYTES, 1, Integer.MAX_VALUE))
        .limits(new EventLimits(rate(values, Settings.EVENT_RATE), rate(values, Settings.USER_EVENT_RATE), Map.of(),
            integer(values, Settings.DISCONNECT_AFTER_REFUSALS, 0, 1_000_000),
            integer(values, Settings.MAX_CONNECTIONS_PER_USER, 0, 1_000_000)).withExempt(WebRtcSignaling.EVENTS))
        .build();
    String ssePath = values.get(Settings.SSE_PATH);
    return new ServerConfig(
        values.get(Settings.HOST),
        integer(values, Settings.PORT, 0, 65535),
        integer(values, Settings.WORKER_THREADS, 0, 1024),
        transport(values),
        bool(values, Settings.DEMO),
        socketIo,
        llm(values),
        new SseConfig(ssePath, duration(values, Settings.SSE_HEARTBEAT)),
        auth,
        redis(values),
        new HttpTimeouts(duration(values, Settings.HEADER_TIMEOUT), duration(values, Settings.IDLE_TIMEOUT)),
        redisTimeout(values),
        redisWire(values),
        bool(values, Settings.REDIS_LIVE_SESSIONS),
        api(values),
        signaling(values),
        CallCredentialsConfig.turn(values),
        CallCredentialsConfig.sfu(values),
        observability(values),
        WebhookConfig.from(values),
        drain(values),
        AdminConfig.from(values));
  }

  /** The same configuration minting TURN credentials with {@code turn}. */
  public ServerConfig withTurn(TurnOptions turn) {
    return new ServerConfig(host, port, workerThreads, transport, demo, socketIo, llm, sse, auth, redis, timeouts, redisTimeout, redisWire, redisLiveSessions, api,
        signaling, turn, sfu, observability, webhooks, drain, admin);
  }

  /** The same configuration minting SFU tokens with {@code sfu}. */
  public ServerConfig withSfu(SfuOptions sfu) {
    return new ServerConfig(host, port, workerThreads, transport, demo, socketIo, llm, sse, auth, redis, timeouts, redisTimeout, redisWire, redisLiveSessions, api,
        signaling, turn, sfu, observability, webhooks, drain, admin);
  }

  /**
   * Every room as --presence and --presence-events say, but call rooms and user rooms always
   * tracked: signaling reads there who is in a call and who is connected.
   */
  static List<PresenceRule> presenceRules(ConfigValues values) {
    boolean events = bool(values, Settings.PRESENCE_EVENTS);
    return Stream.concat(WebRtcSignaling.presenceRules(events).stream(),
        Stream.of(new PresenceRule("*", bool(values, Settings.PRESENCE), events))).toList();
  }

  static SignalingOptions signaling(ConfigValues values) {
    SignalingMode mode = SignalingMode.fromWireName(values.get(Settings.WEBRTC_SIGNALING)).orElseThrow(() ->
        invalid(values, Settings.WEBRTC_SIGNALING, "'" + values.get(Settings.WEBRTC_SIGNALING) + "' is not call-rooms or open"));
    return SignalingOptions.DEFAULTS.withMode(mode)
        .withMeshLimit(integer(values, Settings.CALL_MESH_LIMIT, 0, 1_000));
  }

  static DrainOptions drain(ConfigValues values) {
    Duration window = durationOrZero(values, Settings.DRAIN_WINDOW);
    Duration timeout = duration(values, Settings.DRAIN_TIMEOUT);
    if (window.compareTo(timeout) >= 0) {
      throw invalid(values, Settings.DRAIN_WINDOW, "must be shorter than " + Settings.DRAIN_TIMEOUT.key()
          + " (" + values.get(Settings.DRAIN_TIMEOUT) + ")");
    }
    return DrainOptions.DEFAULTS.withWindow(window).withTimeout(timeout);
  }

  static ObservabilityConfig observability(ConfigValues values) {
    String path = values.get(Settings.METRICS_PATH).trim();
    if (!path.startsWith("/") || path.equals("/")) {
      throw invalid(values, Settings.METRICS_PATH, "must start with '/' and name a path of its own");
    }
    for (Setting other : List.of(Settings.PATH, Settings.SSE_PATH)) {
      if (stripSlash(values.get(other).trim()).equals(stripSlash(path))) {
        throw invalid(values, Settings.METRICS_PATH, "'" + path + "' is already the " + other.key());
      }
    }
    if (stripSlash(path).equals("/healthz") || stripSlash(path).equals("/readyz") || path.startsWith("/api/")) {
      throw invalid(values, Settings.METRICS_PATH, "'" + path + "' is a path the server serves already");
    }
    String format = values.get(Settings.LOG_FORMAT).trim().toUpperCase(Locale.ROOT);
    LogFormat logFormat = Arrays.stream(LogFormat.values()).filter(f -> f.name().equals(format)).findFirst()
        .orElseThrow(() -> invalid(values, Settings.LOG_FORMAT, "'" + values.get(Settings.LOG_FORMAT) + "' is not text or json"));
    return new ObservabilityConfig(bool(values, Settings.METRICS) ? Optional.of(path) : Optional.empty(), logFormat);
  }

  static ServerApiConfig api(ConfigValues values) {
    List<String> keys = list(values, Settings.API_KEY);
    for (String key : keys) {
      if (key.length() < MIN_API_KEY_LENGTH) {
        throw invalid(values, Settings.API_KEY, "each key must have at least " + MIN_API_KEY_LENGTH + " characters");
      }
    }
    String channel = values.get(Settings.REDIS_PUBLISH_CHANNEL).trim();
    if (!channel.isEmpty() && values.get(Settings.REDIS).trim().isEmpty()) {
      throw invalid(values, Settings.REDIS_PUBLISH_CHANNEL, "needs --redis, the Redis the channel is on");
    }
    return new ServerApiConfig(keys, channel.isEmpty() ? Optional.empty() : Optional.of(channel));
  }

  private static String stripSlash(String path) {
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  static RedisWire redisWire(ConfigValues values) {
    String wire = values.get(Settings.REDIS_WIRE).trim().toLowerCase(Locale.ROOT);
    String key = values.get(Settings.REDIS_KEY_PREFIX).trim();
    if (key.isEmpty()) {
      throw invalid(values, Settings.REDIS_KEY_PREFIX, "must not be empty");
    }
    return switch (wire) {
      case "switchboard" -> RedisWire.switchboard();
      case "socketio" -> {
        if (values.get(Settings.REDIS).trim().contains("-cluster://")) {
          throw invalid(values, Settings.REDIS_WIRE, "socketio needs one Redis server, not a Redis Cluster");
        }
        yield RedisWire.socketIo(key);
      }
      case "socketio-sharded" -> RedisWire.socketIoSharded(key, subscriptionMode(values));
      default -> throw invalid(values, Settings.REDIS_WIRE, "'" + wire + "' is not switchboard, socketio or socketio-sharded");
    };
  }

  private static RedisWire.SubscriptionMode subscriptionMode(ConfigValues values) {
    String mode = values.get(Settings.REDIS_SUBSCRIPTION_MODE).trim().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "dynamic" -> RedisWire.SubscriptionMode.DYNAMIC;
      case "static" -> RedisWire.SubscriptionMode.STATIC;
      case "dynamic-private" -> throw invalid(values, Settings.REDIS_SUBSCRIPTION_MODE, "dynamic-private is not supported:"
          + " its broadcasts to one socket go to a channel of that socket, which Switchboard nodes do not subscribe to;"
          + " use dynamic or static on every node");
      default -> throw invalid(values, Settings.REDIS_SUBSCRIPTION_MODE, "'" + mode + "' is not dynamic or static");
    };
  }

  static Duration redisTimeout(ConfigValues values) {
    Duration timeout = duration(values, Settings.REDIS_TIMEOUT);
    if (timeout.toMillis() < 10) {
      throw invalid(values, Settings.REDIS_TIMEOUT, "must be at least 10ms");
    }
    return timeout;
  }

  static Parser parser(ConfigValues values) {
    return switch (values.get(Settings.PARSER).trim().toLowerCase(Locale.ROOT)) {
      case "json" -> Parser.JSON;
      case "msgpack" -> Parser.MSGPACK;
      default -> throw invalid(values, Settings.PARSER, "'" + values.get(Settings.PARSER) + "' is not json or msgpack");
    };
  }

  static NetworkTransport transport(ConfigValues values) {
    String name = values.get(Settings.NETWORK_TRANSPORT).trim().toUpperCase(Locale.ROOT).replace('-', '_');
    try {
      return NetworkTransport.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw invalid(values, Settings.NETWORK_TRANSPORT, "'" + values.get(Settings.NETWORK_TRANSPORT) + "' is not epoll, io_uring or nio");
    }
  }

  static Optional<String> redis(ConfigValues values) {
    String uri = values.get(Settings.REDIS).trim();
    if (uri.isEmpty()) {
      return Optional.empty();
    }
    if (Stream.of("redis://", "rediss://", "redis-cluster://", "rediss-cluster://").noneMatch(uri::startsWith)) {
      throw invalid(values, Settings.REDIS, "'" + uri + "' is not a redis://, rediss://, redis-cluster:// or rediss-cluster:// URI");
    }
    return Optional.of(uri);
  }

  static LlmConfig llm(ConfigValues values) {
    LlmProvider provider = LlmProvider.fromWireName(values.get(Settings.LLM_PROVIDER).trim()).orElseThrow(() ->
        invalid(values, Settings.LLM_PROVIDER, "'" + values.get(Settings.LLM_PROVIDER) + "' is not echo, anthropic or openai"));
    String model = values.get(Settings.LLM_MODEL).trim();
    model = model.isEmpty() ? provider.defaultModel() : model;
    ChatLimits limits = new ChatLimits(integer(values, Settings.CHAT_RATE, 0, 1_000_000),
        integer(values, Settings.CHAT_MAX_STREAMS, 0, 1_000_000));
    if (provider == LlmProvider.ECHO) {
      return new LlmConfig(provider, Optional.empty(), "", model, limits);
    }
    String apiKey = values.get(Settings.LLM_API_KEY).trim();
    if (apiKey.isEmpty()) {
      throw invalid(values, Settings.LLM_API_KEY, "an API key is required when llm-provider is " + provider.wireName()
          + " (set " + Settings.LLM_API_KEY.environmentVariable() + ")");
    }
    String base = values.get(Settings.LLM_BASE_URL).trim();
    base = base.isEmpty() ? provider.defaultBaseUrl() : base;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    URI baseUrl;
    try {
      baseUrl = new URI(base);
    } catch (URISyntaxException e) {
      throw invalid(values, Settings.LLM_BASE_URL, "'" + base + "' is not a URL");
    }
    if (!("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme())) || baseUrl.getHost() == null) {
      throw invalid(values, Settings.LLM_BASE_URL, "'" + base + "' is not an http:// or https:// URL");
    }
    return new LlmConfig(provider, Optional.of(baseUrl), apiKey, model, limits);
  }

  /** A per-second rate with a burst of twice that; empty for 0. */
  static Optional<RateLimit> rate(ConfigValues values, Setting setting) {
    int perSecond = integer(values, setting, 0, 1_000_000);
    return perSecond == 0 ? Optional.empty() : Optional.of(new RateLimit(perSecond, 2 * perSecond));
  }

  private static Duration writeDelay(ConfigValues values) {
    Duration delay = durationOrZero(values, Settings.WRITE_DELAY);
    if (delay.compareTo(EngineIoOptions.MAX_WRITE_DELAY) > 0) {
      throw invalid(values, Settings.WRITE_DELAY, "must be at most " + EngineIoOptions.MAX_WRITE_DELAY.toMillis() + "ms");
    }
    return delay;
  }

  private static Duration presenceDiffInterval(ConfigValues values) {
    Duration interval = durationOrZero(values, Settings.PRESENCE_DIFF_INTERVAL);
    if (interval.compareTo(SocketIoOptions.MAX_PRESENCE_DIFF_INTERVAL) > 0) {
      throw invalid(values, Settings.PRESENCE_DIFF_INTERVAL,
          "must be at most " + SocketIoOptions.MAX_PRESENCE_DIFF_INTERVAL.toSeconds() + "s");
    }
    return interval;
  }

  static Duration duration(ConfigValues values, Setting setting) {
    Duration duration = durationOrZero(values, setting);
    if (duration.isZero()) {
      throw invalid(values, setting, "must be more than zero");
    }
    return duration;
  }

  static Duration durationOrZero(ConfigValues values, Setting setting) {
    String text = values.get(setting).toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw invalid(values, setting, "'" + text + "' is not a duration (e.g. 25000, 500ms, 25s, 2m)");
    }
    String unit = m.group(2) == null ? "ms" : m.group(2);
    Duration duration;
    try {
      long amount = Long.parseLong(m.group(1));
      duration = switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      duration = MAX_DURATION.plusMillis(1);
    }
    if (duration.compareTo(MAX_DURATION) > 0) {
      throw invalid(values, setting, "'" + text + "' is longer than a year");
    }
    return duration;
  }

  static int integer(ConfigValues values, Setting setting, int min, int max) {
    String text = values.get(setting);
    try {
      int value = Integer.parseInt(text.replace("_", ""));
      if (value < min || value > max) {
        throw invalid(values, setting, value + " is outside " + min + ".." + max);
      }
      return value;
    } catch (NumberFormatException e) {
      throw invalid(values, setting, "'" + text + "' is not a whole number");
    }
  }

  static boolean bool(ConfigValues values, Setting setting) {
    return switch (values.get(setting).toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw invalid(values, setting, "'" + values.get(setting) + "' is not true or false");
    };
  }

  static List<String> list(ConfigValues values, Setting setting) {
    return Arrays.stream(values.get(setting).split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  static ConfigException invalid(ConfigValues values, Setting setting, String why) {
    return new ConfigException("invalid " + setting.key() + " (from " + values.origin(setting) + "): " + why);
  }
}
