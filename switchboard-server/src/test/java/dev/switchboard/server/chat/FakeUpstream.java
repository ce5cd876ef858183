package dev.switchboard.server.chat;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A local model API: answers every request with the script the test sets, over real HTTP. */
public final class FakeUpstream implements AutoCloseable {
  /** A request the fake received. */
  record Seen(String method, String path, Headers headers, String body) {}

  /** How the fake answers. */
  public interface Script {
    void play(HttpExchange exchange, FakeUpstream upstream) throws IOException;
  }

  final BlockingQueue<Seen> requests = new LinkedBlockingQueue<>();
  /** Counts down when a held-open answer finds its client gone. */
  final CountDownLatch clientGone = new CountDownLatch(1);
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final HttpServer server;
  private volatile Script script = status(500, "{}");

  public FakeUpstream() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      try (exchange) {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), body));
        script.play(exchange, this);
      }
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void answer(Script script) {
    this.script = script;
  }

  /** 200 {@code text/event-stream}, each chunk written and flushed on its own, then the end. */
  public static Script events(String... chunks) {
    return (exchange, upstream) -> {
      OutputStream out = openStream(exchange);
      for (String chunk : chunks) {
        out.write(chunk.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    };
  }

  /**
   * Writes {@code chunks}, then keeps the answer open with {@code keepAlive} every 20 ms until
   * a write fails because the client went away.
   */
  static Script hold(String keepAlive, String... chunks) {
    return (exchange, upstream) -> {
      OutputStream out = openStream(exchange);
      try {
        for (String chunk : chunks) {
          out.write(chunk.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
        while (!upstream.stopping.await(20, TimeUnit.MILLISECONDS)) {
          out.write(keepAlive.getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException gone) {
        upstream.clientGone.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** Writes {@code first}, waits for {@code gate} (10 s at most), then writes {@code rest} and ends. */
  static Script gated(CountDownLatch gate, String first, String... rest) {
    return (exchange, upstream) -> {
      OutputStream out = openStream(exchange);
      out.write(first.getBytes(StandardCharsets.UTF_8));
      out.flush();
      try {
        if (!gate.await(10, TimeUnit.SECONDS)) {
          throw new IOException("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      for (String chunk : rest) {
        out.write(chunk.getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    };
  }

  /** A plain JSON answer with {@code status}. */
  public static Script status(int status, String json) {
    return (exchange, upstream) -> {
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    };
  }

  private static OutputStream openStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  @Override
  public void close() {
    stopping.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
