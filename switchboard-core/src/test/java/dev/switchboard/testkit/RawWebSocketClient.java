package dev.switchboard.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;

/**
 * A hand-driven Engine.IO WebSocket connection: the test decides what to send and what not to
 * answer (pings, CONNECT), which the real client never lets it do. Pings are answered at once,
 * from the reading thread, until {@link #stopAnsweringPings()}; answered pings are counted, not queued.
 */
public final class RawWebSocketClient implements AutoCloseable {
  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final WebSocket webSocket;
  private final AtomicInteger pingsAnswered = new AtomicInteger();
  private volatile boolean answerPings = true;

  private RawWebSocketClient(String url) {
    Request request = new Request.Builder().url(url).build();
    this.webSocket = JavaClients.http().newWebSocket(request, new WebSocketListener() {
      @Override
      public void onMessage(WebSocket ws, String text) {
        if (answerPings && text.equals("2")) {
          ws.send("3");
          pingsAnswered.incrementAndGet();
        } else {
          texts.add(text);
        }
      }

      @Override
      public void onMessage(WebSocket ws, ByteString bytes) {
        texts.add("<binary " + bytes.size() + ">");
      }

      @Override
      public void onClosing(WebSocket ws, int code, String reason) {
        ws.close(1000, null);
        closed.complete(code);
      }

      @Override
      public void onClosed(WebSocket ws, int code, String reason) {
        closed.complete(code);
      }

      @Override
      public void onFailure(WebSocket ws, Throwable t, Response response) {
        closed.complete(-1);
      }
    });
  }

  /** Opens {@code ws://.../socket.io/?EIO=4&transport=websocket} and reads the OPEN packet. */
  public static RawWebSocketClient open(TestServer server) {
    RawWebSocketClient client = new RawWebSocketClient(
        "ws://127.0.0.1:" + server.port() + server.io().options().path() + "?EIO=4&transport=websocket");
    String open = client.awaitText();
    assertThat(open).startsWith("0{\"sid\":");
    return client;
  }

  public void send(String text) {
    assertThat(webSocket.send(text)).as("send %s", text).isTrue();
  }

  /** From now on pings are queued like other frames and left unanswered. */
  public void stopAnsweringPings() {
    answerPings = false;
  }

  public int pingsAnswered() {
    return pingsAnswered.get();
  }

  /** The next text frame. */
  public String awaitText() {
    try {
      String text = texts.poll(ClientRecorder.DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (text == null) {
        fail("no frame within " + ClientRecorder.DEFAULT_TIMEOUT);
      }
      return text;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The next text frame that is not a ping; answers the pings it skips, as a live client would. */
  public String awaitNonPing() {
    String text;
    while ((text = awaitText()).equals("2")) {
      send("3");
    }
    return text;
  }

  /** Waits until the server closes the connection; returns the close code (-1 for a failure). */
  public int awaitClosed(Duration within) {
    try {
      return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("connection still open after " + within.toMillis() + " ms", e);
    } catch (ExecutionException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** Drops the TCP connection without a close frame. */
  public void cancel() {
    webSocket.cancel();
  }

  @Override
  public void close() {
    webSocket.cancel();
  }
}
