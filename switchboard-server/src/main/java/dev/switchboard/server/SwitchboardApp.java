package dev.switchboard.server;

import dev.switchboard.auth.AuthOptions;
import dev.switchboard.auth.RoomAuthorizer;
import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.auth.SseAuthentication;
import dev.switchboard.auth.TokenVerifier;
import dev.switchboard.http.HttpServer;
import dev.switchboard.admin.AdminSessions;
import dev.switchboard.admin.AdminUi;
import dev.switchboard.redis.RedisCluster;
import dev.switchboard.redis.RedisOptions;
import dev.switchboard.server.api.ApiKeys;
import dev.switchboard.server.api.RedisPublishChannel;
import dev.switchboard.server.api.ServerApi;
import dev.switchboard.server.chat.ChatAccess;
import dev.switchboard.server.chat.ChatModel;
import dev.switchboard.server.chat.ChatModels;
import dev.switchboard.server.chat.ChatRoute;
import dev.switchboard.server.chat.TokenChatAccess;
import dev.switchboard.server.config.ServerConfig;
import dev.switchboard.server.config.Settings;
import dev.switchboard.server.logging.Redaction;
import dev.switchboard.server.messages.Dedupe;
import dev.switchboard.server.messages.PublishListener;
import dev.switchboard.server.metrics.MetricsRoute;
import dev.switchboard.server.metrics.ServerMetrics;
import dev.switchboard.server.ops.OpsPage;
import dev.switchboard.server.routes.DemoSettingsRoute;
import dev.switchboard.server.routes.HealthRoute;
import dev.switchboard.server.routes.ReadinessRoute;
import dev.switchboard.server.routes.StaticRoute;
import dev.switchboard.server.webhooks.WebhookEventType;
import dev.switchboard.server.webhooks.WebhookFeed;
import dev.switchboard.server.webhooks.Webhooks;
import dev.switchboard.socketio.DrainOptions;
import dev.switchboard.socketio.DrainParticipant;
import dev.switchboard.socketio.DrainReport;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.sse.SseOptions;
import dev.switchboard.sse.SseRoomOptions;
import dev.switchboard.sse.SseRoomPolicy;
import io.micrometer.core.instrument.MeterRegistry;
import dev.switchboard.webrtc.Callers;
import dev.switchboard.webrtc.SignalingMode;
import dev.switchboard.webrtc.WebRtcSignaling;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The standalone server: Socket.IO with the built-in events, LLM chat streaming, health check and demo app. */
public final class SwitchboardApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SwitchboardApp.class);
  /** The version of this build (the Maven project version, e.g. {@code 0.2.0}). */
  public static final String VERSION = ServerVersion.read();
  /** Most of the drain timeout kept for {@link #close} after a drain. */
  private static final Duration CLOSE_RESERVE = Duration.ofSeconds(2);

  private final ServerConfig config;
  private final SocketIoServer io;
  private final HttpServer http;
  private final ChatModel chat;
  /** Empty in open mode. */
  private final Optional<TokenVerifier> verifier;
  /** Empty for a single node. */
  private final Optional<RedisCluster> cluster;
  /** What a drain waits for once every connection is gone. */
  private final List<DrainParticipant> drainParticipants = new CopyOnWriteArrayList<>();
  /** Empty with metrics off. */
  private final Optional<ServedMetrics> metrics;
  private final Webhooks webhooks;
  /** Both empty without --admin. */
  private final Optional<AdminUi> admin;
  private final Optional<OpsPage> ops;

  /** The registry and the route serving it (none when only the ops page reads it). */
  private record ServedMetrics(ServerMetrics meters, Optional<MetricsRoute> route) {}

  private SwitchboardApp(ServerConfig config, SocketIoServer io, HttpServer http, ChatModel chat,
      Optional<TokenVerifier> verifier, Optional<RedisCluster> cluster, Optional<ServedMetrics> metrics, Webhooks webhooks,
      Optional<AdminUi> admin, Optional<OpsPage> ops) {
    this.admin = admin;
    this.config = config;
    this.io = io;
    this.http = http;
    this.chat = chat;
    this.verifier = verifier;
    this.cluster = cluster;
    this.metrics = metrics;
    this.webhooks = webhooks;
    this.ops = ops;
  }

  /** Builds and starts the server described by {@code config}. */
  public static SwitchboardApp start(ServerConfig config) {
    return start(config, Optional.empty());
  }

  /**
   * Builds and starts the server described by {@code config}; with authentication configured,
   * {@code authorizer} has the last word on rooms the configured rules and webhook allow.
   */
  public static SwitchboardApp start(ServerConfig config, RoomAuthorizer authorizer) {
    return start(config, Optional.of(java.util.Objects.requireNonNull(authorizer, "authorizer")));
  }

  private static SwitchboardApp start(ServerConfig config, Optional<RoomAuthorizer> authorizer) {
    Optional<RedisCluster> cluster = config.redis().map(uri -> RedisCluster.connect(RedisOptions.of(uri)
        .withCommandTimeout(config.redisTimeout()).withWire(config.redisWire())
        .withLiveSessions(config.redisLiveSessions())));
    try {
      return start(config, authorizer, cluster);
    } catch (RuntimeException e) {
      cluster.ifPresent(RedisCluster::close);
      throw e;
    }
  }

  private static SwitchboardApp start(ServerConfig config, Optional<RoomAuthorizer> authorizer,
      Optional<RedisCluster> cluster) {
    Optional<ServedMetrics> metrics = Optional.empty();
    // The ops page reads the server's meters, served or not.
    if (config.observability().metricsPath().isPresent() || config.admin().isPresent()) {
      ServerMetrics meters = new ServerMetrics();
      metrics = Optional.of(new ServedMetrics(meters, config.observability().metricsPath().map(path -> new MetricsRoute(meters.registry()))));
    }
    SocketIoOptions socketIo = config.socketIo().mutate().meterRegistry(metrics.map(served -> served.meters().registry())).build();
    SocketIoServer io = cluster.map(node -> SocketIoServer.create(socketIo, node))
        .orElseGet(() -> SocketIoServer.create(socketIo));
    String node = cluster.map(RedisCluster::nodeId).orElseGet(() -> UUID.randomUUID().toString());
    Webhooks webhooks = Webhooks.start(config.webhooks(), node);
    metrics.ifPresent(served -> webhooks.bindTo(served.meters().registry()));
    try {
      return start(config, authorizer, cluster, io, node, webhooks, metrics);
    } catch (RuntimeException e) {
      webhooks.close();
      throw e;
    }
  }

  private static SwitchboardApp start(ServerConfig config, Optional<RoomAuthorizer> authorizer,
      Optional<RedisCluster> cluster, SocketIoServer io, String node, Webhooks webhooks, Optional<ServedMetrics> metrics) {
    Optional<MeterRegistry> registry = metrics.map(served -> served.meters().registry());
    WebhookFeed feed = WebhookFeed.install(io, webhooks);
    PublishListener published = webhooks.wants(WebhookEventType.PUBLISH) ? feed : PublishListener.NONE;
    Dedupe dedupe = Dedupe.of(cluster);
    ChatModel chat = ChatModels.create(config.llm());
    Optional<TokenVerifier> verifier = Optional.empty();
    SseRoomPolicy ssePolicy = openSsePolicy();
    ChatAccess chatAccess = ChatAccess.open();
    RoomEntry calls = WebRtcSignaling.install(io, config.signaling())::join;
    if (config.signaling().mode() == SignalingMode.OPEN) {
      log.warn("WebRTC signaling is open ({} open): any user may send offers and candidates to any other user", Settings.WEBRTC_SIGNALING.flag());
    }
    CallCredentialServices credentials;
    if (config.auth().enabled()) {
      AuthOptions options = config.auth().options().orElseThrow();
      TokenVerifier tokens = TokenVerifier.create(options);
      verifier = Optional.of(tokens);
      RoomAuthorizer rooms = RoomAccess.authorizer(config.auth(), authorizer);
      SocketAuthentication.create(tokens, options).install(io);
      credentials = CallCredentialServices.install(config, io, cluster, Callers.tokens(tokens, options), rooms);
      BuiltInEvents.install(io, rooms, dedupe, credentials.askingConsent(calls), published);
      SseAuthentication sseAuthentication = new SseAuthentication(tokens, options, rooms, (request, room) ->
          RoomRules.checkJoinAuthenticated(room).map(SwitchboardApp::sseRefusal));
      ssePolicy = registry.map(sseAuthentication::withMeterRegistry).orElse(sseAuthentication);
      chatAccess = new TokenChatAccess(tokens, options, rooms);
    } else {
      credentials = CallCredentialServices.install(config, io, cluster, Callers.open(), CallCredentialServices.OPEN_ROOMS);
      BuiltInEvents.install(io, dedupe, credentials.askingConsent(calls), published);
      log.warn("No authentication configured: running in open mode, any client may join and publish to any room,"
          + " and anyone who can reach {} may ask the model (limited per IP address by {} and {})",
          ChatRoute.PATH, Settings.CHAT_RATE.flag(), Settings.CHAT_MAX_STREAMS.flag());
    }
    ChatRoute chatRoute = new ChatRoute(chat, config.socketIo().engine().cors(), chatAccess, config.llm().limits(), io);
    HttpServer.Builder http = io.mountOn(config.httpServer())
        .route("/healthz", new HealthRoute())
        .route("/readyz", new ReadinessRoute(io::draining, () -> cluster.map(redis -> redis.health().down()).orElse(false)))
        .route(ChatRoute.PATH, chatRoute)
        .route(config.sse().path(), io.sseRoute(sseOptions(config, ssePolicy)));
    serverApi(config, io, dedupe, cluster, node, registry).mountOn(http);
    metrics.flatMap(ServedMetrics::route).ifPresent(route -> http.route(config.observability().metricsPath().orElseThrow(), route));
    Optional<OpsPage> ops = config.admin().map(adminConfig ->
        OpsPage.install(adminConfig.auth(), io, node, cluster, webhooks, registry.orElseThrow()));
    ops.ifPresent(page -> page.mountOn(http));
    credentials.mount(http);
    if (config.demo()) {
      http.route("/", new StaticRoute("/", "dev/switchboard/server/demo"))
          .route("/demo/", new StaticRoute("/demo/", "dev/switchboard/server/demo"))
          .route(DemoSettingsRoute.PATH, new DemoSettingsRoute(config.sse().path(), config.llm()))
          // The official browser client, for pages of one's own (the demo app bundles its own copy).
          .route("/assets/", new StaticRoute("/assets/", "dev/switchboard/socketio/client"));
    }
    Optional<AdminUi> admin = config.admin().map(adminConfig -> AdminUi.instrument(io, adminConfig.options(
        cluster.<AdminSessions>map(AdminSessions::redis).orElseGet(AdminSessions::inMemory),
        cluster.map(redis -> hostname() + "#" + redis.nodeId().substring(0, Math.min(8, redis.nodeId().length()))).orElseGet(SwitchboardApp::hostname))));
    try {
      HttpServer started = http.build().start();
      admin.ifPresent(ui -> ui.countTrafficOf(started));
      SwitchboardApp app = new SwitchboardApp(config, io, started, chat, verifier, cluster, metrics, webhooks, admin, ops);
      // Answers being streamed finish within the drain; new questions are refused meanwhile.
      app.addDrainParticipant(chatRoute::answersFinished);
      if (config.webhooks().enabled()) {
        app.addDrainParticipant(app::flushWebhooks);
      }
      return app;
    } catch (RuntimeException e) {
      ops.ifPresent(OpsPage::close);
      chat.close();
      verifier.ifPresent(TokenVerifier::close);
      metrics.ifPresent(SwitchboardApp::closeMetrics);
      admin.ifPresent(AdminUi::close);
      throw e;
    }
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  /** The server API, and the Redis channel backends publish to when one is configured (subscribed before the server starts). */
  private static ServerApi serverApi(ServerConfig config, SocketIoServer io, Dedupe dedupe,
      Optional<RedisCluster> cluster, String node, Optional<MeterRegistry> registry) {
    Optional<RedisPublishChannel> channel = config.api().publishChannel().map(name -> RedisPublishChannel
        .subscribe(cluster.orElseThrow(), name, io, RoomPublish.RESERVED_EVENTS)
        .orTimeout(config.redisTimeout().toMillis() * 5, TimeUnit.MILLISECONDS).join());
    registry.ifPresent(meters -> channel.ifPresent(subscribed -> subscribed.bindTo(meters)));
    return ServerApi.create(io, config.api().keys().isEmpty() ? ApiKeys.none() : ApiKeys.of(config.api().keys()), dedupe,
        RoomPublish.RESERVED_EVENTS, node, VERSION, channel);
  }

  /** In open mode SSE streams follow the same room rules as {@code room:join}. */
  private static SseRoomPolicy openSsePolicy() {
    return (request, room) -> RoomRules.checkJoin(room).map(SwitchboardApp::sseRefusal);
  }

  private static SseRoomPolicy.Refusal sseRefusal(RoomRules.Refusal refusal) {
    return new SseRoomPolicy.Refusal(refusal.code().equals("FORBIDDEN_ROOM") ? 403 : 400, refusal.code(), refusal.message());
  }

  private static SseRoomOptions sseOptions(ServerConfig config, SseRoomPolicy policy) {
    SseOptions stream = SseOptions.DEFAULTS
        .withHeartbeat(config.sse().heartbeat())
        .withCors(config.socketIo().engine().cors());
    return SseRoomOptions.DEFAULTS.withStream(stream).withPolicy(policy);
  }

  public int port() {
    return http.port();
  }

  public SocketIoServer io() {
    return io;
  }

  public ServerConfig config() {
    return config;
  }

  /** The webhooks to the app's backend, with their counts ({@link Webhooks#stats()}). */
  public Webhooks webhooks() {
    return webhooks;
  }

  /** The Redis cluster this server is a node of, if any. */
  public Optional<RedisCluster> cluster() {
    return cluster;
  }

  /** Waits until the rooms and presence the clients left are decided (in a cluster, by Redis), so their events are sent. */
  private void awaitRoomChanges() {
    try {
      io.settled().get(config.webhooks().flushTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("room changes of the last disconnections not all decided before the webhooks stop: {}", e.toString());
    }
  }

  /**
   * A drain's part of the webhooks: once the rooms and presence the drained clients left are
   * decided, what waits (their {@code disconnect} events among it) goes at once, within
   * {@code timeLeft}, so that it is delivered within {@code --drain-timeout} rather than in the
   * little time {@link #close} has after it.
   */
  private CompletionStage<Boolean> flushWebhooks(Duration timeLeft) {
    long deadline = System.nanoTime() + timeLeft.toNanos();
    return io.settled().completeOnTimeout(null, timeLeft.toNanos(), TimeUnit.NANOSECONDS).exceptionally(error -> null)
        .thenCompose(decided -> webhooks.flush(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
  }

  /** The one-line banner printed at start. */
  public String banner(long startMillis) {
    String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "localhost" : config.host();
    String base = "http://" + host + ":" + port();
    StringBuilder line = new StringBuilder("Switchboard ").append(VERSION).append(" listening on ")
        .append(config.host()).append(':').append(port()).append(" | ");
    if (config.demo()) {
      line.append("demo ").append(base).append("/ | ");
    }
    line.append("socket.io ").append(base).append(config.socketIo().path())
        .append(" | sse ").append(base).append(config.sse().path()).append("?rooms=")
        .append(" | health ").append(base).append("/healthz")
        .append(config.observability().metricsPath().map(path -> " | metrics " + base + path).orElse(""))
        .append(config.admin().isPresent() ? " | ops " + base + "/admin/" : "")
        .append(" | chat ").append(base).append(ChatRoute.PATH).append(" (").append(config.llm().provider().wireName()).append(')')
        .append(cluster.map(node -> " | cluster node " + node.nodeId() + " on " + Redaction.redact(config.redis().orElse(""))).orElse(""))
        .append(" | ").append(http.transport().name().toLowerCase(java.util.Locale.ROOT))
        .append(", started in ").append(startMillis).append(" ms");
    return line.toString();
  }

  /**
   * Adds work the drain waits for once every connection is gone (flushing queued webhooks, for one),
   * within what is left of {@code --drain-timeout}.
   */
  public SwitchboardApp addDrainParticipant(DrainParticipant participant) {
    drainParticipants.add(java.util.Objects.requireNonNull(participant, "participant"));
    return this;
  }

  /**
   * Drains this node, as SIGTERM does before {@link #close}: {@code /readyz} answers 503 DRAINING at
   * once, new connections are refused, clients are disconnected over {@code --drain-window} (each
   * recovers its session on the node it reconnects to), then the drain participants finish.
   * Completes within {@code --drain-timeout}, less the time {@link #close} may take.
   */
  public CompletionStage<DrainReport> drain() {
    DrainOptions options = config.drain();
    Duration timeout = options.timeout();
    options = options.withTimeout(timeout.minus(closeReserve(timeout)));
    for (DrainParticipant participant : drainParticipants) {
      options = options.withParticipant(participant);
    }
    return io.drain(options);
  }

  /** What is kept of the drain timeout for closing afterwards: a quarter of it, at most 2 s. */
  private static Duration closeReserve(Duration timeout) {
    Duration quarter = timeout.dividedBy(4);
    return quarter.compareTo(CLOSE_RESERVE) < 0 ? quarter : CLOSE_RESERVE;
  }

  /**
   * Disconnects every client ("server shutting down"), stops listening, then delivers the webhook
   * events waiting (those of the disconnections included) within their flush timeout.
   */
  @Override
  public void close() {
    ops.ifPresent(OpsPage::close);
    admin.ifPresent(AdminUi::close);
    io.close();
    http.close(Duration.ofMillis(200));
    if (config.webhooks().enabled()) {
      awaitRoomChanges();
    }
    webhooks.close();
    chat.close();
    verifier.ifPresent(TokenVerifier::close);
    cluster.ifPresent(RedisCluster::close);
    metrics.ifPresent(SwitchboardApp::closeMetrics);
  }

  private static void closeMetrics(ServedMetrics served) {
    served.route().ifPresent(MetricsRoute::close);
    served.meters().close();
  }

  /** The registry {@code --metrics-path} serves (or the ops page reads, with {@code --admin}); empty with both off. */
  public Optional<MeterRegistry> meterRegistry() {
    return metrics.map(served -> served.meters().registry());
  }
}
