package dev.switchboard.bench;

import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.http.HttpServer;
import dev.switchboard.http.NetworkTransport;
import dev.switchboard.redis.RedisCluster;
import dev.switchboard.redis.RedisOptions;
import dev.switchboard.history.HistoryRule;
import dev.switchboard.socketio.BroadcastOperator;
import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.socketio.Parser;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.admin.AdminAuth;
import dev.switchboard.admin.AdminOptions;
import dev.switchboard.admin.AdminUi;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.sse.SseRoomOptions;
import dev.switchboard.presence.PresenceRule;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The bench contract served by Switchboard; {@code bench/node/server.mjs} serves the same one
 * with Node's socket.io.
 *
 * <ul>
 *   <li>{@code join(room)}: joins the room, acknowledged;
 *   <li>{@code leave(room)}: leaves the room, acknowledged;
 *   <li>{@code publish(room, payload)}: {@code io.to(room).emit("msg", payload)};
 *   <li>{@code echo(payload)}: acknowledged with the payload;
 *   <li>{@code publish-ack(room, payload)}: {@code io.to(room).emit("msg", payload)}, then
 *       acknowledged with the payload (a publish answered as the standalone server's
 *       {@code room:publish} is);
 *   <li>{@code GET /sse?rooms=a,b}: an EventSource stream of those rooms ({@code event: msg}).
 * </ul>
 *
 * <p>Usage: {@code BenchServer PORT [WORKER_THREADS]}. Prints {@code ready PORT} once it accepts
 * connections on 127.0.0.1, and stops on SIGTERM. System properties: {@code switchboard.writeDelay}
 * (milliseconds, default 0: see {@code EngineIoOptions.writeDelay}), {@code switchboard.transport}
 * ({@code epoll}, {@code io_uring} or {@code nio}), {@code switchboard.redis}
 * (a Redis URI: the node joins the cluster of every bench server given the same one),
 * {@code switchboard.admin} ({@code true}: the Admin UI's server half is on, in development mode),
 * {@code switchboard.parser} ({@code json}, the default, or {@code msgpack}),
 * {@code switchboard.kept} ({@code true}: broadcasts are kept as the standalone server keeps them
 * by default: 100 messages of history per room for 2 minutes, and connection state recovery; a
 * {@code publish-ack} to a room named {@code volatile-*} stays a volatile broadcast kept nowhere),
 * {@code switchboard.presenceDiffInterval} (milliseconds, default 200), {@code switchboard.liveSessions}
 * ({@code false}: with Redis and recovery on, connected sockets' state is not kept as it changes),
 * {@code switchboard.presenceAll} ({@code true}: every room tracks presence and announces it, as the
 * standalone server does by default), {@code switchboard.pingInterval} and
 * {@code switchboard.pingTimeout} (milliseconds; default: Engine.IO's 25 s and 20 s). Rooms named
 * {@code presence-*} track presence and announce it (the {@code presence} scenario); others do not
 * unless {@code switchboard.presenceAll} is set.
 */
public final class BenchServer {
  /** Rooms whose publishes are volatile and keep no history, even on a server that keeps the others. */
  private static final String VOLATILE_PREFIX = "volatile-";
  private static final String VOLATILE_ROOMS = VOLATILE_PREFIX + "*";

  private BenchServer() {}

  public static void main(String[] args) {
    if (args.length < 1) {
      System.err.println("usage: BenchServer PORT [WORKER_THREADS]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    int workers = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    long writeDelayMillis = Long.getLong("switchboard.writeDelay", 0);
    int compressionThreshold = Integer.getInteger("switchboard.wsCompression", -1);
    SocketIoOptions options = SocketIoOptions.builder()
        .engine(EngineIoOptions.builder()
            .path(SocketIoOptions.DEFAULT_PATH)
            .writeDelay(Duration.ofMillis(writeDelayMillis))
            .pingInterval(Duration.ofMillis(Long.getLong("switchboard.pingInterval",
                EngineIoOptions.DEFAULT_PING_INTERVAL.toMillis())))
            .pingTimeout(Duration.ofMillis(Long.getLong("switchboard.pingTimeout",
                EngineIoOptions.DEFAULT_PING_TIMEOUT.toMillis())))
            .webSocketCompression(compressionThreshold < 0 ? java.util.Optional.empty()
                : java.util.Optional.of(dev.switchboard.engineio.WebSocketCompression.defaults().withThreshold(compressionThreshold)))
            .build())
        .parser("msgpack".equals(System.getProperty("switchboard.parser", "json")) ? Parser.MSGPACK : Parser.JSON)
        .presence(List.of(new PresenceRule(Boolean.getBoolean("switchboard.presenceAll") ? "*" : "presence-*", true, true)))
        .presenceDiffInterval(Duration.ofMillis(Long.getLong("switchboard.presenceDiffInterval",
            SocketIoOptions.DEFAULT_PRESENCE_DIFF_INTERVAL.toMillis())))
        .build();
    if (Boolean.getBoolean("switchboard.kept")) {
      options = options.mutate()
          .history(List.of(new HistoryRule(VOLATILE_ROOMS, 0, Duration.ofMinutes(2)),
              new HistoryRule("*", 100, Duration.ofMinutes(2))))
          .connectionStateRecovery(ConnectionStateRecovery.DEFAULTS)
          .build();
    }
    String redis = System.getProperty("switchboard.redis", "");
    RedisCluster cluster = redis.isEmpty() ? null : RedisCluster.connect(RedisOptions.of(redis)
        .withLiveSessions(Boolean.parseBoolean(System.getProperty("switchboard.liveSessions", "true"))));
    SocketIoServer io = cluster == null ? SocketIoServer.create(options) : SocketIoServer.create(options, cluster);
    if (Boolean.getBoolean("switchboard.admin")) {
      // The Admin UI's server half on, no UI connected: what the hot path pays for having it on.
      AdminUi.instrument(io, AdminOptions.builder(AdminAuth.none()).build());
    }
    io.on("connection", socket -> {
      socket.on("join", event -> {
        String room = event.args().text(0);
        if (room != null) {
          socket.join(room);
        }
        event.ack();
      });
      socket.on("leave", event -> {
        String room = event.args().text(0);
        if (room != null) {
          socket.leave(room);
        }
        event.ack();
      });
      socket.on("publish", event -> {
        String room = event.args().text(0);
        if (room != null) {
          io.to(room).emit("msg", event.args().get(1));
        }
      });
      socket.on("echo", event -> event.ack(event.args().get(0)));
      socket.on("publish-ack", event -> {
        String room = event.args().text(0);
        if (room != null) {
          BroadcastOperator to = room.startsWith(VOLATILE_PREFIX) ? io.asVolatile().to(room) : io.to(room);
          to.emit("msg", event.args().get(1));
        }
        event.ack(event.args().get(1));
      });
    });
    HttpServer.Builder builder = HttpServer.builder().host("127.0.0.1").port(port)
        .transport(NetworkTransport.valueOf(System.getProperty("switchboard.transport", "epoll").toUpperCase(Locale.ROOT)));
    if (workers > 0) {
      builder.workerThreads(workers);
    }
    HttpServer http = io.mountOn(builder).route("/sse", io.sseRoute(SseRoomOptions.DEFAULTS)).build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      io.close();
      http.close();
      if (cluster != null) {
        cluster.close();
      }
    }, "bench-server-stop"));
    System.out.println("ready " + http.port());
    System.out.flush();
  }
}
