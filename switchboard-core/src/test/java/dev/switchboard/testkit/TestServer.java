package dev.switchboard.testkit;

import dev.switchboard.http.HttpServer;
import dev.switchboard.http.NetworkTransport;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import java.util.function.Consumer;

/** A Socket.IO server on a free loopback port for one test; close it in {@code @AfterEach}. */
public final class TestServer implements AutoCloseable {
  private final SocketIoServer io;
  private final HttpServer http;

  private TestServer(SocketIoServer io, HttpServer http) {
    this.io = io;
    this.http = http;
  }

  public static TestServer start(Consumer<SocketIoServer> setup) {
    return start(SocketIoOptions.defaults(), setup);
  }

  public static TestServer start(SocketIoOptions options, Consumer<SocketIoServer> setup) {
    return start(options, NetworkTransport.EPOLL, setup);
  }

  public static TestServer start(SocketIoOptions options, NetworkTransport transport, Consumer<SocketIoServer> setup) {
    SocketIoServer io = SocketIoServer.create(options);
    setup.accept(io);
    HttpServer http = io.mountOn(HttpServer.builder().host("127.0.0.1").port(0).workerThreads(2).transport(transport))
        .build().start();
    return new TestServer(io, http);
  }

  /** The transport actually serving (the one asked for, or its fallback). */
  public NetworkTransport transport() {
    return http.transport();
  }

  public SocketIoServer io() {
    return io;
  }

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
