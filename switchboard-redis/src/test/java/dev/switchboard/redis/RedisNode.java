package dev.switchboard.redis;

import dev.switchboard.history.HistoryRule;
import dev.switchboard.presence.PresenceRule;
import dev.switchboard.socketio.ConnectionStateRecovery;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import dev.switchboard.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One node of a test's cluster: an embedded Socket.IO server on a free port whose cluster is a
 * {@link RedisCluster} on the given Redis. Its clients join rooms with {@code room:join {room}},
 * answered {@code {ok: true}}.
 */
final class RedisNode implements AutoCloseable {
  /**
   * What the standalone server runs with by default (history, presence and recovery for every
   * room), so that a broadcast takes the path it takes there.
   */
  static final SocketIoOptions STANDALONE_DEFAULTS = standalone()
      .connectionStateRecovery(new ConnectionStateRecovery(Duration.ofMinutes(2), false, 16 << 20))
      .build();
  /** The standalone server's defaults with {@code --connection-state-recovery false}. */
  static final SocketIoOptions STANDALONE_WITHOUT_RECOVERY = standalone().build();

  private final RedisCluster cluster;
  private final TestServer server;

  private RedisNode(RedisCluster cluster, TestServer server) {
    this.cluster = cluster;
    this.server = server;
  }

  /** A node with {@link #STANDALONE_DEFAULTS}. */
  static RedisNode start(String redisUri) {
    return start(redisUri, STANDALONE_DEFAULTS);
  }

  static RedisNode start(String redisUri, SocketIoOptions options) {
    RedisCluster cluster = RedisCluster.connect(RedisOptions.of(redisUri));
    try {
      return new RedisNode(cluster, TestServer.start(options, cluster, io -> io.onConnection(socket ->
          socket.on("room:join", event -> {
            socket.join(event.args().get(0).path("room").asText());
            event.ack(Map.of("ok", true));
          }))));
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static SocketIoOptions.Builder standalone() {
    return SocketIoOptions.builder()
        .history(List.of(new HistoryRule("*", 100, Duration.ofMinutes(2), 1 << 20)))
        .presence(List.of(new PresenceRule("*", true, true)));
  }

  SocketIoServer io() {
    return server.io();
  }

  int port() {
    return server.port();
  }

  Optional<RedisCluster> cluster() {
    return Optional.of(cluster);
  }

  @Override
  public void close() {
    server.close();
    cluster.close();
  }
}
