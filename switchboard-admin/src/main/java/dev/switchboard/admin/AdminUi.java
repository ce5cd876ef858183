package dev.switchboard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.admin.internal.AdminActions;
import dev.switchboard.admin.internal.AdminLogin;
import dev.switchboard.admin.internal.LiveFeed;
import dev.switchboard.admin.internal.ServerStats;
import dev.switchboard.admin.internal.SocketShapes;
import dev.switchboard.http.HttpServer;
import dev.switchboard.socketio.AckTimeoutException;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.socketio.SocketObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server half of the official Socket.IO Admin UI on one node (Node's {@code instrument(io, options)}):
 * the admin namespace with its login, {@code config} on connection, {@code server_stats} from this
 * node every two seconds to the UIs connected to any node, and in development mode
 * {@code all_sockets} (every node's) and the live per-socket messages, plus the UI's actions on sockets of any node.
 *
 * <p>Cost: with no UI connected anywhere, each node sends one small {@code server_stats} broadcast
 * every two seconds and nothing else; its counters are those the server keeps anyway. The per-socket
 * messages of development mode are produced only while a UI is connected to some node.
 */
public final class AdminUi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminUi.class);
  /** Server-side events between the nodes' admin namespaces. */
  static final String SOCKETS_REQUEST = "admin:sockets";
  static final String WATCHING = "admin:watching";

  private final SocketIoServer io;
  private final AdminOptions options;
  private final Namespace admin;
  private final ServerStats stats;
  private final AdminActions actions;
  private final Optional<AdminLogin> login;
  private final LiveFeed feed;
  private final List<String> features;
  private final ScheduledExecutorService timer;
  private final Object feedLock = new Object();
  /** Until when another node's UI wants the live messages (ms since the epoch). */
  private volatile long watchedUntil;
  private SocketObserver.Registration feedRegistration;

  private AdminUi(SocketIoServer io, AdminOptions options) {
    this.io = io;
    this.options = options;
    this.admin = io.of(options.namespace());
    this.stats = new ServerStats(io, admin.name(), options.serverId(), Clock.systemUTC());
    this.actions = new AdminActions(io, admin.name(), stats);
    this.login = options.auth() instanceof AdminAuth.Basic basic ? Optional.of(new AdminLogin(basic, options.sessions())) : Optional.empty();
    this.feed = new LiveFeed(admin, stats);
    this.features = features(options);
    this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "switchboard-admin-stats");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Adds the admin namespace to {@code io} and starts sending this node's stats. On a cluster, call
   * it on every node with the same namespace and {@link AdminSessions#redis} sessions.
   */
  public static AdminUi instrument(SocketIoServer io, AdminOptions options) {
    AdminUi ui = new AdminUi(java.util.Objects.requireNonNull(io, "io"), java.util.Objects.requireNonNull(options, "options"));
    ui.start();
    return ui;
  }

  /** The features the UI is told of in {@code config}: the actions unless read-only, then the kinds of stats. */
  static List<String> features(AdminOptions options) {
    List<String> features = new ArrayList<>();
    if (!options.readonly()) {
      features.addAll(List.of("EMIT", "JOIN", "LEAVE", "DISCONNECT", "MJOIN", "MLEAVE", "MDISCONNECT"));
    }
    features.add("AGGREGATED_EVENTS");
    if (options.mode() == AdminMode.DEVELOPMENT) {
      features.add("ALL_EVENTS");
    }
    return List.copyOf(features);
  }

  private void start() {
    login.ifPresent(admin::use);
    if (login.isEmpty()) {
      log.warn("the Admin UI namespace {} admits anyone without a login", admin.name());
    }
    admin.onConnection(this::connected);
    if (options.mode() == AdminMode.DEVELOPMENT) {
      admin.onServerEvent(SOCKETS_REQUEST, event -> event.ack(localSockets()));
      admin.onServerEvent(WATCHING, event -> {
        watchedUntil = System.currentTimeMillis() + 3 * options.statsInterval().toMillis();
        updateFeed();
      });
    }
    long interval = options.statsInterval().toMillis();
    timer.scheduleAtFixedRate(this::tick, 0, interval, TimeUnit.MILLISECONDS);
  }

  /** Counts the bytes of {@code server}'s connections in the stats ({@code bytesIn}, {@code bytesOut}). */
  public AdminUi countTrafficOf(HttpServer server) {
    stats.countTrafficOf(server);
    return this;
  }

  /** The admin namespace. */
  public Namespace namespace() {
    return admin;
  }

  private void connected(Socket socket) {
    login.flatMap(l -> l.takeSession(socket.id())).ifPresent(session -> emitTo(socket, "session", session));
    actions.install(socket, options.readonly());
    emitTo(socket, "config", Map.of("supportedFeatures", features));
    if (options.mode() == AdminMode.DEVELOPMENT) {
      updateFeed();
      admin.serverSideEmit(WATCHING);
      allSockets().thenAccept(sockets -> emitTo(socket, "all_sockets", sockets));
    }
  }

  private void emitTo(Socket socket, String event, Object... args) {
    stats.ownEmit();
    socket.emit(event, args);
  }

  /** Every node's sockets, this node's first; what did not answer in time is left out. */
  private CompletableFuture<List<Object>> allSockets() {
    List<Object> all = new ArrayList<>(localSockets());
    return admin.serverSideEmitWithAck(options.statsInterval(), SOCKETS_REQUEST)
        .exceptionally(error -> error instanceof AckTimeoutException timeout
            || error.getCause() instanceof AckTimeoutException ? received(error) : List.of())
        .thenApply(answers -> {
          for (Args answer : answers) {
            JsonNode sockets = answer.get(0);
            if (sockets.isArray()) {
              sockets.forEach(all::add);
            }
          }
          return all;
        });
  }

  private static List<Args> received(Throwable error) {
    Throwable cause = error instanceof AckTimeoutException ? error : error.getCause();
    return ((AckTimeoutException) cause).received();
  }

  private List<Map<String, Object>> localSockets() {
    List<Map<String, Object>> sockets = new ArrayList<>();
    for (Namespace nsp : io.namespaces()) {
      if (!nsp.name().equals(admin.name())) {
        for (Socket socket : nsp.sockets().values()) {
          sockets.add(SocketShapes.of(socket));
        }
      }
    }
    return sockets;
  }

  private void tick() {
    try {
      stats.ownEmit();
      admin.emit("server_stats", stats.next());
      if (options.mode() == AdminMode.DEVELOPMENT) {
        if (!admin.sockets().isEmpty()) {
          admin.serverSideEmit(WATCHING);
        }
        updateFeed();
      }
    } catch (RuntimeException e) {
      log.warn("admin stats failed", e);
    }
  }

  /** Registers the live feed while a UI is connected here or, lately, on another node; removes it otherwise. */
  private void updateFeed() {
    boolean wanted = !admin.sockets().isEmpty() || System.currentTimeMillis() < watchedUntil;
    synchronized (feedLock) {
      if (wanted && feedRegistration == null) {
        feedRegistration = io.observe(feed);
      } else if (!wanted && feedRegistration != null) {
        feedRegistration.close();
        feedRegistration = null;
      }
    }
  }

  /** Whether the per-socket messages are being produced now (a UI is connected somewhere). */
  public boolean live() {
    synchronized (feedLock) {
      return feedRegistration != null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    login.ifPresent(AdminLogin::close);
    synchronized (feedLock) {
      if (feedRegistration != null) {
        feedRegistration.close();
        feedRegistration = null;
      }
    }
  }
}
