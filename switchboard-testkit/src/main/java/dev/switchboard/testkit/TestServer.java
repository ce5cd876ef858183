package dev.switchboard.testkit;

import dev.switchboard.cluster.Cluster;
import dev.switchboard.http.HttpServer;
import dev.switchboard.http.NetworkTransport;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** A Socket.IO server on a free loopback port for one test; close it in {@code @AfterEach}. */
public final class TestServer implements AutoCloseable {
  private final SocketIoServer io;
  private final HttpServer http;

  private TestServer(SocketIoServer io, HttpServer http) {
    this.io = io;
    this.http = http;
  }

  /** A server with default options, set up by {@code setup} (namespaces, handlers) before it listens. */
  public static TestServer start(Consumer<SocketIoServer> setup) {
    return start(SocketIoOptions.defaults(), setup);
  }

  /** A server with {@code options}, set up by {@code setup} before it listens. */
  public static TestServer start(SocketIoOptions options, Consumer<SocketIoServer> setup) {
    return start(options, NetworkTransport.EPOLL, setup);
  }

  /** A server on the network {@code transport} asked for (see {@link #transport()} for the one serving). */
  public static TestServer start(SocketIoOptions options, NetworkTransport transport, Consumer<SocketIoServer> setup) {
    return start(options, transport, setup, (io, http) -> { });
  }

  /**
   * A server whose HTTP side also serves the routes {@code routes} adds, for example
   * {@code (io, http) -> http.route("/sse", io.sseRoute(SseRoomOptions.DEFAULTS))}.
   */
  public static TestServer start(SocketIoOptions options, Consumer<SocketIoServer> setup,
      BiConsumer<SocketIoServer, HttpServer.Builder> routes) {
    return start(options, NetworkTransport.EPOLL, setup, routes);
  }

  /**
   * A node of {@code cluster} (for example a {@code RedisCluster} of switchboard-redis), which the
   * test closes after the server.
   */
  public static TestServer start(SocketIoOptions options, Cluster cluster, Consumer<SocketIoServer> setup) {
    return start(SocketIoServer.create(options, cluster), NetworkTransport.EPOLL, setup, (io, http) -> { });
  }

  private static TestServer start(SocketIoOptions options, NetworkTransport transport, Consumer<SocketIoServer> setup,
      BiConsumer<SocketIoServer, HttpServer.Builder> routes) {
    return start(SocketIoServer.create(options), transport, setup, routes);
  }

  private static TestServer start(SocketIoServer io, NetworkTransport transport, Consumer<SocketIoServer> setup,
      BiConsumer<SocketIoServer, HttpServer.Builder> routes) {
    setup.accept(io);
    HttpServer.Builder builder = io.mountOn(HttpServer.builder().host("127.0.0.1").port(0).workerThreads(2).transport(transport));
    routes.accept(io, builder);
    HttpServer http = builder.build().start();
    return new TestServer(io, http);
  }

  /** The transport actually serving (the one asked for, or its fallback). */
  public NetworkTransport transport() {
    return http.transport();
  }

  /** The Socket.IO server, to emit from or inspect in a test. */
  public SocketIoServer io() {
    return io;
  }

  /** The port it listens on, on 127.0.0.1. */
  public int port() {
    return http.port();
  }

  /** {@code http://127.0.0.1:<port>} */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    io.close();
    http.close();
  }
}
