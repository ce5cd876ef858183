package dev.switchboard.testkit;

import dev.switchboard.engineio.CloseReason;
import dev.switchboard.engineio.EngineIoOptions;
import dev.switchboard.engineio.EngineIoServer;
import dev.switchboard.engineio.EngineSession;
import dev.switchboard.engineio.Transport;
import dev.switchboard.engineio.internal.RealEngineSession;
import dev.switchboard.http.HttpServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A bare Engine.IO server (no Socket.IO) on a free loopback port that echoes every message, as
 * the reference test suite's server does, and records what happens to its sessions.
 */
public final class EngineTestServer implements AutoCloseable {
  /** How a session ended, and when ({@link System#nanoTime()}). */
  public record Closed(String sid, CloseReason reason, String description, long atNanos) {}

  private final EngineIoServer engine;
  private final HttpServer http;
  private final Map<String, RealEngineSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, Long> openedAt = new ConcurrentHashMap<>();
  private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
  private final BlockingQueue<Closed> closed = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> upgraded = new LinkedBlockingQueue<>();

  private EngineTestServer(EngineIoOptions options, int eventLoops) {
    engine = EngineIoServer.create(options);
    engine.onConnection(session -> {
      openedAt.put(session.id(), System.nanoTime());
      sessions.put(session.id(), (RealEngineSession) session);
      session.listener(new EngineSession.Listener() {
        @Override
        public void onMessage(EngineSession s, String text) {
          received.add(text);
          s.send(text);
        }

        @Override
        public void onBinary(EngineSession s, byte[] data) {
          received.add("binary:" + data.length);
          s.send(data);
        }

        @Override
        public void onUpgrade(EngineSession s, Transport transport) {
          upgraded.add(s.id());
        }

        @Override
        public void onClose(EngineSession s, CloseReason reason, String description) {
          closed.add(new Closed(s.id(), reason, description, System.nanoTime()));
        }
      });
    });
    http = engine.mountOn(HttpServer.builder().host("127.0.0.1").port(0).workerThreads(eventLoops)).build().start();
  }

  public static EngineTestServer start(EngineIoOptions options) {
    return new EngineTestServer(options, 2);
  }

  /** A server on {@code eventLoops} event loops: a session's requests on other connections may land on other loops. */
  public static EngineTestServer start(EngineIoOptions options, int eventLoops) {
    return new EngineTestServer(options, eventLoops);
  }

  public static EngineTestServer start() {
    return start(EngineIoOptions.defaults());
  }

  public EngineIoServer engine() {
    return engine;
  }

  public int port() {
    return http.port();
  }

  public String path() {
    return engine.options().path();
  }

  /** The next message the server received (text as is, binary as {@code binary:<length>}). */
  public String nextReceived(Duration timeout) throws InterruptedException {
    return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public BlockingQueue<String> received() {
    return received;
  }

  /** The next session end, or null when none happens within {@code timeout}. */
  public Closed nextClose(Duration timeout) throws InterruptedException {
    return closed.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  public BlockingQueue<String> upgraded() {
    return upgraded;
  }

  /** Whether session {@code sid} holds a long-polling GET. */
  public boolean hasPendingGet(String sid) {
    RealEngineSession session = sessions.get(sid);
    return session != null && hasPendingGet(session);
  }

  /** Whether {@code session} holds a long-polling GET, read on the session's event loop. */
  public static boolean hasPendingGet(EngineSession session) {
    RealEngineSession real = (RealEngineSession) session;
    try {
      return real.executor().submit(
          () -> real.isOpen() && real.transport() == Transport.POLLING && real.writableNow())
          .get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** When the server opened session {@code sid} (and scheduled its first ping), as {@link System#nanoTime()}. */
  public long openedAtNanos(String sid) {
    return openedAt.get(sid);
  }

  /** The server-side session {@code sid}, to act on it from a test. */
  public EngineSession session(String sid) {
    return sessions.get(sid);
  }

  @Override
  public void close() {
    engine.close();
    http.close();
  }
}
