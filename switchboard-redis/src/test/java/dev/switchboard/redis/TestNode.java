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
 * A node of a test: an embedded Socket.IO server on a free port, alone or with a {@link RedisCluster}
 * on the given Redis. Its clients join rooms with {@code room:join {room}}, answered {@code {ok: true}} once the
 * room is ready ({@link dev.switchboard.socketio.Socket#roomReady}), and store texts in their data with
 * {@code data:set {key, value}}.
 */
final class TestNode implements AutoCloseable {
  /**
   * What the standalone server runs with by default (history, presence and recovery for every
   * room), so that a broadcast takes the path it takes there.
   */
  static final SocketIoOptions STANDALONE_DEFAULTS = standalone()
      .connectionStateRecovery(new ConnectionStateRecovery(Duration.ofMinutes(2), false, 16 << 20))
      .build();
  /** The standalone server's defaults with {@code --connection-state-recovery false}. */
  static final SocketIoOptions STANDALONE_WITHOUT_RECOVERY = standalone().build();
  /** The standalone server's default {@code --redis-timeout}. */
  static final Duration STANDALONE_REDIS_TIMEOUT = Duration.ofSeconds(2);

  private final Optional<RedisCluster> cluster;
  private final TestServer server;

  private TestNode(Optional<RedisCluster> cluster, TestServer server) {
    this.cluster = cluster;
    this.server = server;
  }

  /** A node without a cluster, with {@link #STANDALONE_DEFAULTS}. */
  static TestNode alone() {
    return new TestNode(Optional.empty(), TestServer.start(STANDALONE_DEFAULTS, TestNode::joinOnRequest));
  }

  /** A node of the cluster on {@code redisUri}, with {@link #STANDALONE_DEFAULTS}. */
  static TestNode clustered(String redisUri) {
    return clustered(redisUri, STANDALONE_DEFAULTS);
  }

  static TestNode clustered(String redisUri, SocketIoOptions options) {
    return clustered(redisUri, options, STANDALONE_REDIS_TIMEOUT);
  }

  /** A node whose Redis commands time out after {@code commandTimeout}. */
  static TestNode clustered(String redisUri, SocketIoOptions options, Duration commandTimeout) {
    RedisCluster cluster = RedisCluster.connect(RedisOptions.of(redisUri).withCommandTimeout(commandTimeout));
    try {
      return new TestNode(Optional.of(cluster), TestServer.start(options, cluster, TestNode::joinOnRequest));
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * Answers a join once the room is ready, as the standalone server does: from then on no broadcast
   * to it is missed. {@code data:set {key, value}} stores a text in the socket's data.
   */
  private static void joinOnRequest(SocketIoServer io) {
    io.onConnection(socket -> {
      socket.on("room:join", event -> {
        String room = event.args().get(0).path("room").asText();
        socket.join(room);
        socket.roomReady(room).whenComplete((ready, error) -> event.ack(Map.of("ok", true)));
      });
      socket.on("data:set", event -> {
        socket.data().put(event.args().get(0).path("key").asText(), event.args().get(0).path("value").asText());
        event.ack(Map.of("ok", true));
      });
    });
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
    return cluster;
  }

  @Override
  public void close() {
    server.close();
    cluster.ifPresent(RedisCluster::close);
  }
}
