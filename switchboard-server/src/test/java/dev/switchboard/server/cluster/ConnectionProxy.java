package dev.switchboard.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;

/**
 * A TCP proxy in front of several nodes, as a load balancer without sticky sessions: each new
 * connection goes to the node {@code route} picks from the connection's number. With clients that
 * open one connection per HTTP request, every request is routed on its own. In front of one server
 * it is a network link that can be cut without a word ({@link #blackhole}) and mended ({@link #heal}),
 * or made slow ({@link #delayAnswers}).
 */
final class ConnectionProxy implements AutoCloseable {
  private final ServerSocket server;
  private final AtomicIntegerArray ports;
  private final IntUnaryOperator route;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicIntegerArray perNode;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  /** Completed while bytes pass; a pending one holds them (and closes, and new connections) until healed. */
  private volatile CompletableFuture<Void> passing = CompletableFuture.completedFuture(null);
  /** How long what the servers send waits before it passes on (nanoseconds), set by {@link #delayAnswers}. */
  private volatile long answerDelay;
  /** Reads from the clients' side, held or passed. */
  private final AtomicLong fromClients = new AtomicLong();

  private ConnectionProxy(IntUnaryOperator route, int... ports) throws IOException {
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    this.ports = new AtomicIntegerArray(ports);
    this.route = route;
    this.perNode = new AtomicIntegerArray(ports.length);
    Thread.ofPlatform().daemon().name("proxy-accept").start(this::acceptLoop);
  }

  /** Connection n goes to node n modulo the number of nodes. */
  static ConnectionProxy roundRobin(int... ports) throws IOException {
    return new ConnectionProxy(n -> n % ports.length, ports);
  }

  /** The first connection (a handshake) goes to {@code first}, every later one to {@code rest}. */
  static ConnectionProxy firstThenRest(int first, int rest) throws IOException {
    return new ConnectionProxy(n -> n == 0 ? 0 : 1, first, rest);
  }

  /**
   * Every new connection to the node on {@code port}, until {@link #moveTo} names another: a
   * balancer whose one healthy node changes.
   */
  static ConnectionProxy following(int port) throws IOException {
    return new ConnectionProxy(n -> 0, port);
  }

  /**
   * Each new connection to the node {@code route} picks (an index into {@code ports}) when it
   * arrives, or refused (closed at once) when it picks -1.
   */
  static ConnectionProxy routed(IntUnaryOperator route, int... ports) throws IOException {
    return new ConnectionProxy(route, ports);
  }

  /** New connections go to the node on {@code port}; open ones stay where they are. */
  void moveTo(int port) {
    ports.set(0, port);
  }

  /**
   * Cuts the link as a network partition does: connections stay open but nothing passes either
   * way, not even a close, and new connections are accepted but reach nothing, until {@link #heal}.
   */
  synchronized void blackhole() {
    if (passing.isDone()) {
      passing = new CompletableFuture<>();
    }
  }

  /** Mends the link: what was held passes in order, as TCP retransmits after a partition. */
  synchronized void heal() {
    passing.complete(null);
  }

  /**
   * What the servers send from now on reaches the clients {@code delay} late, in order, as over a
   * long link; zero makes it fast again (what is on its way still arrives in order).
   */
  void delayAnswers(Duration delay) {
    answerDelay = delay.toNanos();
  }

  /** How many reads from the clients' side the proxy has made: something sent, whether it passed or is held. */
  long readsFromClients() {
    return fromClients.get();
  }

  /** Closes every connection open through the proxy, as a balancer restarting would. */
  void dropAll() {
    open.forEach(this::closeQuietly);
  }

  int port() {
    return server.getLocalPort();
  }

  String url() {
    return "http://127.0.0.1:" + port();
  }

  /** Connections sent to the {@code index}-th node so far. */
  int connectionsTo(int index) {
    return perNode.get(index);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        int node = route.applyAsInt(accepted.getAndIncrement());
        if (node < 0) {
          client.close();
          continue;
        }
        perNode.incrementAndGet(node);
        open.add(client);
        int port = ports.get(node);
        Thread.ofVirtual().start(() -> connect(client, port));
      } catch (IOException e) {
        // closed
      }
    }
  }

  private void connect(Socket client, int port) {
    passing.join();
    try {
      Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port);
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      open.add(upstream);
      Thread.ofVirtual().start(() -> pump(client, upstream, fromClients, () -> 0));
      Thread.ofVirtual().start(() -> pump(upstream, client, new AtomicLong(), () -> answerDelay));
    } catch (IOException e) {
      // a node refused: the client sees its connection closed
      closeQuietly(client);
    }
  }

  /**
   * Copies one direction, each read passing on {@code delay} nanoseconds after it was made and in
   * order; when it ends (either side closed), both sockets are closed.
   */
  private void pump(Socket from, Socket to, AtomicLong reads, LongSupplier delay) {
    BlockingQueue<Chunk> chunks = new LinkedBlockingQueue<>();
    Thread.ofVirtual().start(() -> pass(chunks, from, to));
    byte[] buffer = new byte[16 * 1024];
    try {
      // Not closed here: the writer closes both sockets once what was read has passed.
      InputStream in = from.getInputStream();
      int read;
      while ((read = in.read(buffer)) >= 0) {
        reads.incrementAndGet();
        chunks.add(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime() + delay.getAsLong()));
      }
    } catch (IOException e) {
      // one side went away
    } finally {
      chunks.add(Chunk.END);
    }
  }

  /** Writes the chunks read, each once it is due and the link passes bytes; closes both sides at the end. */
  private void pass(BlockingQueue<Chunk> chunks, Socket from, Socket to) {
    try (OutputStream out = to.getOutputStream()) {
      for (Chunk chunk = chunks.take(); chunk != Chunk.END; chunk = chunks.take()) {
        long wait = chunk.due() - System.nanoTime();
        if (wait > 0) {
          // The link's own latency, not a wait for something to happen.
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        passing.join();
        out.write(chunk.bytes());
        out.flush();
      }
      passing.join();
    } catch (IOException | InterruptedException e) {
      // one side went away
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  /** Bytes read from one side, to be written to the other at {@code due} ({@link System#nanoTime}). */
  private record Chunk(byte[] bytes, long due) {
    static final Chunk END = new Chunk(new byte[0], 0);
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    heal();
    server.close();
    open.forEach(this::closeQuietly);
  }
}
