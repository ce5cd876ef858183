package dev.switchboard.testkit;

import dev.switchboard.http.HttpServer;
import dev.switchboard.socketio.SocketIoOptions;
import dev.switchboard.socketio.SocketIoServer;
import io.socket.client.Socket;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Switchboard server for each test, with clients that are checked when the test ends. Register
 * it with {@code @RegisterExtension}: before each test it starts a server on a free loopback port,
 * set up by the given handler code; after each test it fails the test when a client made through
 * it received anything the test did not take ({@link ClientRecorder#assertNoMoreEvents()}), then
 * closes the clients, the SSE readers and the server.
 *
 * <pre>{@code
 * @RegisterExtension
 * final SwitchboardExtension switchboard = SwitchboardExtension.withServer(io -> new Greeter().install(io));
 * }</pre>
 */
public final class SwitchboardExtension implements BeforeEachCallback, AfterEachCallback {
  private final SocketIoOptions options;
  private final Consumer<SocketIoServer> setup;
  private final BiConsumer<SocketIoServer, HttpServer.Builder> routes;
  private final List<SseReader> sseReaders = new CopyOnWriteArrayList<>();
  private TestServer server;
  private JavaClients clients;

  private SwitchboardExtension(SocketIoOptions options, Consumer<SocketIoServer> setup,
      BiConsumer<SocketIoServer, HttpServer.Builder> routes) {
    this.options = options;
    this.setup = setup;
    this.routes = routes;
  }

  /** A server with default options, set up by {@code setup} before it listens. */
  public static SwitchboardExtension withServer(Consumer<SocketIoServer> setup) {
    return withServer(SocketIoOptions.defaults(), setup);
  }

  public static SwitchboardExtension withServer(SocketIoOptions options, Consumer<SocketIoServer> setup) {
    return withServer(options, setup, (io, http) -> { });
  }

  /** A server that also serves the HTTP routes {@code routes} adds (an SSE route, for example). */
  public static SwitchboardExtension withServer(SocketIoOptions options, Consumer<SocketIoServer> setup,
      BiConsumer<SocketIoServer, HttpServer.Builder> routes) {
    return new SwitchboardExtension(options, setup, routes);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    server = TestServer.start(options, setup, routes);
    clients = new JavaClients(server.url());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (server == null) {
      return;
    }
    try {
      clients.assertNoMoreEvents();
    } finally {
      sseReaders.forEach(SseReader::close);
      sseReaders.clear();
      clients.close();
      server.close();
      clients = null;
      server = null;
    }
  }

  /** The running server of the current test. */
  public TestServer server() {
    return running(server);
  }

  /** The Socket.IO server of the current test, to emit from or look at. */
  public SocketIoServer io() {
    return server().io();
  }

  /** The Java clients of the current test; recorders they make are checked after the test. */
  public JavaClients clients() {
    return running(clients);
  }

  /** A WebSocket client on {@code namespace}, connected and past its connect event. */
  public ClientRecorder connect(String namespace) {
    return connect(namespace, JavaClients.Mode.WEBSOCKET);
  }

  /** A client on {@code namespace} reaching the server by {@code mode}, connected and past its connect event. */
  public ClientRecorder connect(String namespace, JavaClients.Mode mode) {
    return clients().connected(namespace, mode);
  }

  /** Records {@code socket} (made by {@link #clients()}, not yet connected); checked after the test. */
  public ClientRecorder record(Socket socket) {
    return clients().record(socket);
  }

  /** Opens an event stream at {@code pathAndQuery} on the server; closed after the test. */
  public SseReader sse(String pathAndQuery) throws IOException {
    SseReader reader = SseReader.open(server().port(), pathAndQuery);
    sseReaders.add(reader);
    return reader;
  }

  private static <T> T running(T value) {
    if (value == null) {
      throw new IllegalStateException("no test is running: register the extension with @RegisterExtension");
    }
    return value;
  }
}
