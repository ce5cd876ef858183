package dev.switchboard.testkit;

import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Builds {@code io.socket:socket.io-client} sockets for tests and closes them all at the end.
 * The clients share one OkHttp client whose dispatcher allows many concurrent long polls to
 * the same host (OkHttp's default of 5 would stall the sixth polling client).
 */
public final class JavaClients implements AutoCloseable {
  /** How the client reaches the server. */
  public enum Mode {
    WEBSOCKET(new String[] {WebSocket.NAME}, false),
    POLLING(new String[] {Polling.NAME}, false),
    POLLING_THEN_UPGRADE(new String[] {Polling.NAME, WebSocket.NAME}, true);

    private final String[] transports;
    private final boolean upgrade;

    Mode(String[] transports, boolean upgrade) {
      this.transports = transports;
      this.upgrade = upgrade;
    }
  }

  private static final OkHttpClient HTTP;

  static {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(1024);
    dispatcher.setMaxRequestsPerHost(1024);
    HTTP = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .readTimeout(1, TimeUnit.MINUTES)
        .build();
  }

  private final String url;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Manager> managers = new CopyOnWriteArrayList<>();
  private final List<ClientRecorder> recorders = new CopyOnWriteArrayList<>();

  public JavaClients(String url) {
    this.url = url;
  }

  /** The shared OkHttp client (for raw requests next to the Socket.IO clients). */
  public static OkHttpClient http() {
    return HTTP;
  }

  /** Options for a new connection: no reconnection, no multiplexing. */
  public static IO.Options options(Mode mode) {
    IO.Options options = IO.Options.builder()
        .setForceNew(true)
        .setReconnection(false)
        .setTransports(mode.transports)
        .setUpgrade(mode.upgrade)
        .setRememberUpgrade(false)
        .setTimeout(10_000)
        .build();
    options.callFactory = HTTP;
    options.webSocketFactory = HTTP;
    return options;
  }

  /** A socket (not yet connected) for namespace {@code nsp} on its own connection. */
  public Socket socket(String nsp, Mode mode) {
    return socket(nsp, options(mode));
  }

  public Socket socket(String nsp, IO.Options options) {
    options.forceNew = true;
    Socket socket = IO.socket(URI.create(url + nsp), options);
    sockets.add(socket);
    return socket;
  }

  /** Records {@code socket} (call before connecting it); {@link #assertNoMoreEvents()} checks the recorder. */
  public ClientRecorder record(Socket socket) {
    ClientRecorder recorder = ClientRecorder.record(socket);
    recorders.add(recorder);
    return recorder;
  }

  /**
   * Connects {@code socket} and waits for its connect event (5 s at most); fails with the
   * server's answer on a connect_error.
   */
  public static Socket connectNow(Socket socket) {
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
        new AssertionError("connect_error: " + (args.length > 0 ? args[0] : ""))));
    socket.connect();
    connected.orTimeout(5, TimeUnit.SECONDS).join();
    return socket;
  }

  /**
   * Emits {@code event} with {@code args} and an acknowledgement, and waits for the server's answer
   * ({@code timeout} at most).
   *
   * @return the arguments the server acknowledged with
   */
  public static Object[] emitWithAck(Socket socket, Duration timeout, String event, Object... args) {
    CompletableFuture<Object[]> answer = new CompletableFuture<>();
    socket.emit(event, args, answer::complete);
    try {
      return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).join();
    } catch (CompletionException e) {
      throw new AssertionError("no ack for " + event + " within " + timeout.toMillis() + " ms", e.getCause());
    }
  }

  /** {@link #emitWithAck(Socket, Duration, String, Object...)} within {@link ClientRecorder#DEFAULT_TIMEOUT}. */
  public static Object[] emitWithAck(Socket socket, String event, Object... args) {
    return emitWithAck(socket, ClientRecorder.DEFAULT_TIMEOUT, event, args);
  }

  /** Every {@code event} {@code socket} receives from now on, as its arguments, in arrival order. */
  public static BlockingQueue<Object[]> inbox(Socket socket, String event) {
    BlockingQueue<Object[]> queue = new LinkedBlockingQueue<>();
    socket.on(event, queue::add);
    return queue;
  }

  /** A recorded socket for {@code nsp}, connected and past its connect event. */
  public ClientRecorder connected(String nsp, Mode mode) {
    ClientRecorder recorder = record(socket(nsp, mode)).connect();
    recorder.awaitConnect();
    return recorder;
  }

  /** A recorded socket with an auth payload, not yet connected. */
  public ClientRecorder recorded(String nsp, Mode mode, Map<String, String> auth) {
    IO.Options options = options(mode);
    options.auth = auth;
    return record(socket(nsp, options));
  }

  /** One connection (manager) on which several namespaces can be opened. */
  public Manager manager(Mode mode) {
    Manager manager = new Manager(URI.create(url), options(mode));
    managers.add(manager);
    return manager;
  }

  /** A socket of {@code manager} for {@code nsp}, recorded and not yet connected. */
  public ClientRecorder recorded(Manager manager, String nsp) {
    Socket socket = manager.socket(nsp);
    sockets.add(socket);
    return record(socket);
  }

  /**
   * Fails when any recorder made by these clients holds a recording the test did not take, naming
   * each one (the socket's namespace and what it holds).
   */
  public void assertNoMoreEvents() {
    List<String> unexpected = new ArrayList<>();
    for (ClientRecorder recorder : recorders) {
      try {
        recorder.assertNoMoreEvents();
      } catch (AssertionError e) {
        unexpected.add(e.getMessage());
      }
    }
    if (!unexpected.isEmpty()) {
      throw new AssertionError(unexpected.size() + " client(s) received more than the test took:\n"
          + String.join("\n", unexpected));
    }
  }

  @Override
  public void close() {
    for (Socket socket : sockets) {
      socket.close();
    }
    sockets.clear();
    managers.clear();
  }
}
