package dev.switchboard.socketio;

import java.util.Optional;
import dev.switchboard.cluster.Cluster;
import dev.switchboard.engineio.PollingRelay;
import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.Transport;
import dev.switchboard.engineio.internal.EngineIoHandler;
import dev.switchboard.engineio.internal.RealEngineSession;
import dev.switchboard.engineio.internal.Sessions;
import dev.switchboard.http.HttpRoute;
import dev.switchboard.http.HttpServer;
import dev.switchboard.http.internal.Meters;
import dev.switchboard.socketio.internal.ClientBundleRoute;
import dev.switchboard.socketio.internal.RealNamespace;
import dev.switchboard.socketio.internal.ServerContext;
import dev.switchboard.socketio.internal.ServerDrain;
import dev.switchboard.history.HistoryPage;
import dev.switchboard.history.StreamPosition;
import dev.switchboard.presence.PresenceMember;
import dev.switchboard.sse.SseRoomOptions;
import dev.switchboard.sse.SseRooms;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A Socket.IO v5 server, the {@code io} of Node's socket.io. Methods that act on sockets act on
 * the main namespace {@code "/"}; use {@link #of} for others.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create();
 * io.on("connection", socket -> {
 *   socket.join("user:" + socket.handshake().authField("userId").orElse("anonymous"));
 *   socket.on("chat", event -> socket.to("lobby").emit("chat", event.args().get(0)));
 * });
 * HttpServer http = io.listen(3000);
 * }</pre>
 */
public final class SocketIoServer implements Namespace, AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SocketIoServer.class);
  /**
   * Longest a shutdown waits for the shared streams to keep its sockets for recovery before it
   * closes their connections.
   */
  private static final Duration SHUTDOWN_PERSIST_WAIT = Duration.ofSeconds(2);

  private final SocketIoOptions options;
  private final ServerContext context;
  private final Sessions sessions;
  private final EngineIoHandler handler;
  private final HttpRoute route;
  private final RealNamespace main;
  private final List<SseRooms> sseRoutes = new CopyOnWriteArrayList<>();
  /** The drain, once {@link #drain} was called. */
  private CompletableFuture<DrainReport> drain;

  private SocketIoServer(SocketIoOptions options, Optional<Cluster> cluster) {
    this.options = options;
    this.context = new ServerContext(options, cluster);
    Optional<PollingRelay> relay = cluster.flatMap(Cluster::pollingRelay);
    this.sessions = relay.map(r -> new Sessions(options.engine(), r)).orElseGet(() -> new Sessions(options.engine()));
    this.handler = new EngineIoHandler(options.engine(), sessions, context::onConnection, relay);
    this.route = options.serveClient() ? new ClientBundleRoute(options.path(), handler) : handler;
    this.main = context.of("/");
    Meters meters = context.meters().meters();
    sessions.meters().bind(meters, sessions);
    meters.gauge("switchboard.sse.streams", "", "Open EventSource streams of rooms.", this, SocketIoServer::sseStreamCount);
    options.meterRegistry().ifPresent(registry -> cluster.ifPresent(node -> node.bindTo(registry)));
  }

  public static SocketIoServer create() {
    return create(SocketIoOptions.defaults());
  }

  public static SocketIoServer create(SocketIoOptions options) {
    return new SocketIoServer(options, Optional.empty());
  }

  /**
   * A server that is one node of {@code cluster}: broadcasts and server-side operations that are
   * not {@code local()} reach every node's sockets, presence and per-user connection caps are
   * shared, and polling requests are served whichever node they reach when the cluster has a
   * {@link Cluster#pollingRelay()}. The caller closes the cluster after this server.
   */
  public static SocketIoServer create(SocketIoOptions options, Cluster cluster) {
    return new SocketIoServer(options, Optional.of(java.util.Objects.requireNonNull(cluster, "cluster")));
  }

  public SocketIoOptions options() {
    return options;
  }

  /** The namespace {@code name}, created on first use. */
  public Namespace of(String name) {
    return context.of(name);
  }

  /** A dynamic namespace family: any name matching {@code pattern} is created on demand. */
  public Namespace of(Pattern pattern) {
    return context.parent((name, auth) -> pattern.matcher(name).matches(), pattern.pattern());
  }

  /** A dynamic namespace family decided by {@code matcher}. */
  public Namespace of(NamespaceMatcher matcher) {
    return context.parent(matcher, "dynamic");
  }

  /** Adds a middleware that runs for every namespace, before the namespace's own. */
  public SocketIoServer useForAllNamespaces(Middleware middleware) {
    context.useEverywhere(middleware);
    return this;
  }

  /**
   * The HTTP route serving {@link SocketIoOptions#path()}: Engine.IO, and the browser client when
   * {@link SocketIoOptions#serveClient()} is on.
   */
  public HttpRoute route() {
    return route;
  }

  /**
   * Mounts this server on {@code http}, with its largest request body, its connection caps and its
   * meter registry, if any.
   */
  public HttpServer.Builder mountOn(HttpServer.Builder http) {
    options.meterRegistry().ifPresent(http::meterRegistry);
    return http.route(options.path(), route).maxContentLength(options.engine().maxHttpBufferSize())
        .connectionLimits(options.engine().connectionLimits());
  }

  /**
   * An SSE endpoint ({@code GET ?rooms=a,b}) whose streams follow rooms of the main namespace:
   * one broadcast reaches Socket.IO sockets and EventSource streams alike ({@link SseRooms}). Mount
   * it where you like, e.g. {@code http.route("/sse", io.sseRoute(SseRoomOptions.DEFAULTS))}.
   */
  public HttpRoute sseRoute(SseRoomOptions sseOptions) {
    SseRooms route = SseRooms.over(main.rooms(), sseOptions);
    sseRoutes.add(route);
    return route;
  }

  /**
   * Starts an HTTP server on {@code port} (0 for any free one) of every address, serving only
   * this server. Mount it with {@link #mountOn} to serve other routes beside it.
   */
  public HttpServer listen(int port) {
    return listen("0.0.0.0", port);
  }

  /** Starts an HTTP server on {@code host} (e.g. {@code "127.0.0.1"}) and {@code port}, serving only this server. */
  public HttpServer listen(String host, int port) {
    return mountOn(HttpServer.builder().host(host).port(port)).build().start();
  }

  /**
   * The rooms of the main namespace on this node with their member counts (sockets and SSE
   * streams), gathered from every event loop.
   */
  public CompletableFuture<Map<String, Integer>> localRoomSizes() {
    return main.adapter().roomSizes();
  }

  /**
   * Bytes this process keeps now for room history and connection state recovery together, as
   * counted against {@link SocketIoOptions#maxRetainedBytes()} (for metrics); history and recovery
   * kept in a cluster's Redis are not counted.
   */
  public long retainedBytes() {
    return context.retainedBytes();
  }

  /**
   * The namespaces this node has now: the static ones and the children of dynamic families, each
   * with its sockets on this node. Unlike {@link #of(String)}, creates none.
   */
  public List<Namespace> namespaces() {
    return List.copyOf(context.namespaces());
  }

  /** What this server counted since it started: connections opened and closed, events in and out. */
  public ServerCounts counts() {
    Map<String, Long> closed = new HashMap<>();
    for (CloseReason reason : CloseReason.values()) {
      closed.merge(reason.text(), sessions.meters().endedFor(reason), Long::sum);
    }
    return new ServerCounts(sessions.meters().accepted(), closed, context.meters().eventsReceived(), context.meters().eventsSent());
  }

  /**
   * Registers {@code observer} of every socket's events in every namespace ({@link SocketObserver});
   * closing the answer removes it. Without an observer the server pays nothing per event but a field read.
   */
  public SocketObserver.Registration observe(SocketObserver observer) {
    Runnable remove = context.observe(observer);
    return remove::run;
  }

  /** The number of open Engine.IO connections. */
  public int connectionCount() {
    return sessions.size();
  }

  /**
   * The number of open Engine.IO connections on {@code transport} now; a connection counts as
   * polling until its upgrade to WebSocket completes.
   */
  public int connectionCount(Transport transport) {
    return sessions.count(transport);
  }

  /** The number of open EventSource streams of this server's {@link #sseRoute}s. */
  public int sseStreamCount() {
    return sseRoutes.stream().mapToInt(SseRooms::openStreams).sum();
  }

  /**
   * The rooms that open EventSource streams of this server's {@link #sseRoute}s follow, with how
   * many streams follow each; counted when asked, from the open streams.
   */
  public Map<String, Integer> sseStreamsByRoom() {
    Map<String, Integer> counts = new java.util.HashMap<>();
    sseRoutes.forEach(route -> route.streamsByRoom().forEach((room, n) -> counts.merge(room, n, Integer::sum)));
    return counts;
  }

  /**
   * Takes this server out of service before it stops (on SIGTERM, say): {@link #draining()} turns
   * true at once (for your readiness probe), new connections (handshakes, and streams of
   * {@link #sseRoute}s) are refused with 503, and each client is disconnected at its own turn
   * within the window as the server shutting down: the official client reconnects (through your
   * balancer, to another node) and, with connection state recovery shared by a cluster, recovers
   * its session there. Completes once every connection is gone and the participants finished, or
   * at the timeout; a second call returns the first drain. Close the server afterwards.
   */
  public synchronized CompletionStage<DrainReport> drain(DrainOptions drainOptions) {
    if (drain == null) {
      drain = ServerDrain.start(sessions, sseRoutes, java.util.Objects.requireNonNull(drainOptions, "drainOptions"));
    }
    return drain.copy();
  }

  /** {@link #drain(DrainOptions)} over {@code window}, with the other {@link DrainOptions#DEFAULTS}. */
  public CompletionStage<DrainReport> drain(Duration window) {
    return drain(DrainOptions.DEFAULTS.withWindow(window));
  }

  /** Whether this server drains ({@link #drain}): it refuses new connections, and should get no traffic. */
  public boolean draining() {
    return sessions.draining();
  }

  /**
   * Disconnects every client at once with "server shutting down" (for a graceful stop,
   * {@link #drain} first) and ends the SSE streams of {@link #sseRoute}s. Does not stop the HTTP server. With connection state recovery shared by a
   * cluster, every socket is first kept in the shared streams (up to 2 s), so a client that
   * reconnects to another node at once still recovers. The server's meters leave the registry.
   */
  @Override
  public void close() {
    context.meters().close();
    sseRoutes.forEach(SseRooms::closeAll);
    // Kept where every node reads them before any client can come back elsewhere.
    CompletableFuture<?>[] kept = context.namespaces().stream().map(RealNamespace::persistForShutdown)
        .toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(kept).get(SHUTDOWN_PERSIST_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      log.warn("not every socket could be kept for recovery before shutting down: {}", e.toString());
    }
    for (RealEngineSession session : sessions.all()) {
      session.close(CloseReason.SERVER_SHUTTING_DOWN, "server shutting down");
    }
  }

  /**
   * Completes once the room occupancy and presence changes of everything that happened so far
   * (joins, leaves, disconnections) are decided (in a cluster, Redis answered) and handed to their
   * listeners ({@link #onRoomOccupancy}, {@link #onPresence}): for a graceful stop, wait for it
   * after {@link #close()} and before stopping what those listeners feed.
   */
  public CompletableFuture<Void> settled() {
    return context.settled();
  }

  // ---- the main namespace

  @Override
  public String name() {
    return main.name();
  }

  @Override
  public SocketIoServer onConnection(Consumer<Socket> listener) {
    main.onConnection(listener);
    return this;
  }

  @Override
  public SocketIoServer on(String event, Consumer<Socket> listener) {
    Namespace.super.on(event, listener);
    return this;
  }

  /** Adds a middleware to the main namespace, as Node's {@code io.use}. */
  @Override
  public SocketIoServer use(Middleware middleware) {
    main.use(middleware);
    return this;
  }

  @Override
  public List<PresenceMember> presence(String room) {
    return main.presence(room);
  }

  @Override
  public CompletionStage<List<PresenceMember>> presenceAsync(String room) {
    return main.presenceAsync(room);
  }

  @Override
  public CompletionStage<Boolean> reservePresence(String room, String memberId, int maxMembers, Duration hold) {
    return main.reservePresence(room, memberId, maxMembers, hold);
  }

  /**
   * Messages kept for {@code room}, the oldest still kept first, at most {@code limit}; see
   * {@link SocketIoOptions#history()}. In a cluster whose nodes share history, every node answers
   * the same.
   */
  public CompletableFuture<HistoryPage> history(String room, int limit) {
    return context.history().kept(room, limit);
  }

  /**
   * The position of the newest message kept for {@code room} (offset 0 in a new epoch before the
   * first); empty when the room keeps no history.
   */
  public CompletableFuture<Optional<StreamPosition>> historyHead(String room) {
    if (!context.history().keeps(room)) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return context.history().head(room).thenApply(Optional::of);
  }

  /** As {@link #history(String, int)}, only messages kept after {@code since}. */
  public CompletableFuture<HistoryPage> history(String room, StreamPosition since, int limit) {
    return context.history().since(room, java.util.Objects.requireNonNull(since, "since"), limit);
  }

  /**
   * Forgets the messages kept for {@code room} (on every node, when they share history): its next
   * message starts a new epoch, and whoever resumes from before the removal is told of the gap.
   * Packets kept for connection state recovery are not affected.
   */
  public CompletableFuture<Void> removeHistory(String room) {
    return context.history().remove(room);
  }

  @Override
  public Map<String, Socket> sockets() {
    return main.sockets();
  }

  // ---- broadcasting: the main namespace's sockets

  @Override
  public BroadcastOperator to(String... rooms) {
    return main.to(rooms);
  }

  @Override
  public BroadcastOperator except(String... rooms) {
    return main.except(rooms);
  }

  @Override
  public BroadcastOperator local() {
    return main.local();
  }

  @Override
  public BroadcastOperator asVolatile() {
    return main.asVolatile();
  }

  @Override
  public BroadcastOperator withoutHistory() {
    return main.withoutHistory();
  }

  @Override
  public BroadcastOperator timeout(Duration timeout) {
    return main.timeout(timeout);
  }

  @Override
  public void emit(String event, Object... args) {
    main.emit(event, args);
  }

  @Override
  public CompletableFuture<Optional<StreamPosition>> emitWithPosition(String event, Object... args) {
    return main.emitWithPosition(event, args);
  }

  @Override
  public CompletableFuture<List<Args>> emitWithAck(String event, Object... args) {
    return main.emitWithAck(event, args);
  }

  @Override
  public CompletableFuture<Integer> socketsJoin(String... rooms) {
    return main.socketsJoin(rooms);
  }

  @Override
  public CompletableFuture<Integer> socketsLeave(String... rooms) {
    return main.socketsLeave(rooms);
  }

  @Override
  public CompletableFuture<Integer> disconnectSockets(boolean close) {
    return main.disconnectSockets(close);
  }

  @Override
  public CompletableFuture<List<RemoteSocket>> fetchSockets() {
    return main.fetchSockets();
  }

  @Override
  public Namespace onServerEvent(String event, ServerEventListener listener) {
    main.onServerEvent(event, listener);
    return this;
  }

  @Override
  public SocketIoServer onRoomOccupancy(OccupancyListener listener) {
    main.onRoomOccupancy(listener);
    return this;
  }

  @Override
  public SocketIoServer onPresence(PresenceListener listener) {
    main.onPresence(listener);
    return this;
  }

  @Override
  public void serverSideEmit(String event, Object... args) {
    main.serverSideEmit(event, args);
  }

  @Override
  public CompletableFuture<List<Args>> serverSideEmitWithAck(Duration timeout, String event, Object... args) {
    return main.serverSideEmitWithAck(timeout, event, args);
  }
}
