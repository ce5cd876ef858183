package dev.switchboard.testkit;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A raw WebSocket client over {@link java.net.http.WebSocket}: collects whole messages (text as
 * {@code String}, binary as {@code byte[]}) and records when and how the connection ended.
 */
public final class WsClient implements AutoCloseable {
  /** Close code recorded when the connection ends without a close frame. */
  public static final int ABNORMAL = 1006;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http;
  private final WebSocket ws;
  private final Collector collector;

  private WsClient(HttpClient http, WebSocket ws, Collector collector) {
    this.http = http;
    this.ws = ws;
    this.collector = collector;
  }

  /** Connects to the Engine.IO endpoint at {@code path} with {@code query}; fails on a refused handshake. */
  public static WsClient connect(int port, String path, String query) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Collector collector = new Collector();
    try {
      WebSocket ws = http.newWebSocketBuilder().connectTimeout(TIMEOUT)
          .buildAsync(URI.create("ws://127.0.0.1:" + port + path + "?" + query), collector)
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new WsClient(http, ws, collector);
    } catch (ExecutionException | TimeoutException | InterruptedException e) {
      http.shutdownNow();
      throw e;
    }
  }

  /** The next message; empty when none arrives within {@code timeout}. */
  public Optional<Object> next(Duration timeout) throws InterruptedException {
    return Optional.ofNullable(collector.messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** The next message, which must be text and arrive within a few seconds. */
  public String nextText() throws InterruptedException {
    Optional<Object> message = next(TIMEOUT);
    if (!(message.orElse(null) instanceof String text)) {
      throw new AssertionError("expected a text message, got " + describe(message));
    }
    return text;
  }

  /** The next message, which must be binary and arrive within a few seconds. */
  public byte[] nextBinary() throws InterruptedException {
    Optional<Object> message = next(TIMEOUT);
    if (!(message.orElse(null) instanceof byte[] bytes)) {
      throw new AssertionError("expected a binary message, got " + describe(message));
    }
    return bytes;
  }

  public void send(String text) {
    ws.sendText(text, true).join();
  }

  /** Sends a message in fragments, one frame each. */
  public void sendFragments(String... parts) {
    for (int i = 0; i < parts.length; i++) {
      ws.sendText(parts[i], i == parts.length - 1).join();
    }
  }

  public void send(byte[] data) {
    ws.sendBinary(ByteBuffer.wrap(data), true).join();
  }

  /** Completes with the close code (or {@link #ABNORMAL}) when the connection ends. */
  public CompletableFuture<Integer> closed() {
    return collector.closed;
  }

  /** When the end of the connection was seen, as {@link System#nanoTime()}. */
  public long closedAtNanos() {
    return collector.closedAt;
  }

  /** When the last message arrived, as {@link System#nanoTime()}. */
  public long lastMessageAtNanos() {
    return collector.lastMessageAt;
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
    }
    ws.abort();
    http.shutdownNow();
  }

  private static String describe(Optional<Object> message) {
    return message.map(m -> m instanceof byte[] b ? b.length + " bytes" : "'" + m + "'").orElse("nothing");
  }

  private static final class Collector implements WebSocket.Listener {
    final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final StringBuilder text = new StringBuilder();
    final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    volatile long closedAt;
    volatile long lastMessageAt;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        lastMessageAt = System.nanoTime();
        messages.add(text.toString());
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      binary.writeBytes(chunk);
      if (last) {
        lastMessageAt = System.nanoTime();
        messages.add(binary.toByteArray());
        binary.reset();
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
      closedAt = System.nanoTime();
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      closedAt = System.nanoTime();
      closed.complete(ABNORMAL);
    }
  }
}
