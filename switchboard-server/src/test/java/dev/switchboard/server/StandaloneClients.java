package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testkit.JavaClients;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * Official Java clients of the standalone server over WebSocket (no reconnection), and its built-in
 * events ({@code room:join}, {@code room:publish}, ...) called with an acknowledgement; every socket
 * is closed at the end.
 */
public final class StandaloneClients implements AutoCloseable {
  /** How long a call waits for the server's answer. */
  public static final Duration ANSWER_WAIT = Duration.ofSeconds(5);

  private final IntSupplier port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Clients of the server listening on {@code port} (read when a socket is made). */
  public StandaloneClients(IntSupplier port) {
    this.port = port;
  }

  /** A socket without credentials, not yet connected. */
  public Socket socket() {
    return socket(Map.of());
  }

  /** A socket presenting {@code token} in its auth payload, not yet connected. */
  public Socket socket(String token) {
    return socket(Map.of("token", token));
  }

  private Socket socket(Map<String, String> auth) {
    IO.Options options = JavaClients.options(JavaClients.Mode.WEBSOCKET);
    options.auth = auth;
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port.getAsInt()), options);
    sockets.add(socket);
    return socket;
  }

  /** A socket without credentials, connected. */
  public Socket connect() {
    return JavaClients.connectNow(socket());
  }

  /** A socket authenticated with {@code token}, connected. */
  public Socket connect(String token) {
    return JavaClients.connectNow(socket(token));
  }

  /** Emits {@code event} with {@code payload} and returns the server's answer. */
  public static JSONObject call(Socket socket, String event, Object payload) {
    return call(socket, event, payload, ANSWER_WAIT);
  }

  /** Emits {@code event} with {@code payload} and returns the server's answer, waiting {@code wait} at most. */
  public static JSONObject call(Socket socket, String event, Object payload, Duration wait) {
    return (JSONObject) JavaClients.emitWithAck(socket, wait, event, payload)[0];
  }

  /** Joins {@code room}, failing unless the server says ok. */
  public static JSONObject join(Socket socket, String room) {
    JSONObject answer = call(socket, "room:join", json("room", room));
    assertThat(answer.optBoolean("ok")).as("join %s: %s", room, answer).isTrue();
    return answer;
  }

  /** The payload of a {@code room:publish}. */
  public static JSONObject publication(String room, String event, Object data) {
    try {
      return new JSONObject().put("room", room).put("event", event).put("data", data);
    } catch (JSONException e) {
      throw new AssertionError(e);
    }
  }

  /** Publishes {@code data} as {@code event} to {@code room} and returns the server's answer. */
  public static JSONObject publish(Socket socket, String room, String event, Object data) {
    return call(socket, "room:publish", publication(room, event, data));
  }

  /** Publishes {@code publication}, failing unless the server says ok; returns its answer. */
  public static JSONObject assertPublished(Socket socket, JSONObject publication) {
    JSONObject answer = call(socket, "room:publish", publication);
    assertThat(answer.optBoolean("ok")).as(answer.toString()).isTrue();
    return answer;
  }

  /** Publishes {@code chat} with data {@code {"n": n}} to {@code room}, failing unless the server says ok. */
  public static JSONObject publishNumber(Socket socket, String room, int n) {
    return assertPublished(socket, publication(room, "chat", json("n", n)));
  }

  /** Every {@code event} {@code socket} receives from now on, as its arguments. */
  public static BlockingQueue<Object[]> inbox(Socket socket, String event) {
    return JavaClients.inbox(socket, event);
  }

  private static JSONObject json(String key, Object value) {
    try {
      return new JSONObject().put(key, value);
    } catch (JSONException e) {
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    sockets.forEach(Socket::close);
  }
}
