package dev.switchboard.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.json.JSONException;
import org.json.JSONObject;

/** A Socket.IO client (the official Java one) using the standalone server's built-in room events. */
final class RoomClient implements AutoCloseable {
  private final Socket socket;

  private RoomClient(Socket socket) {
    this.socket = socket;
  }

  static RoomClient connect(int port) {
    IO.Options options = IO.Options.builder().setForceNew(true).setReconnection(false)
        .setTransports(new String[] {"websocket"}).build();
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
    CompletableFuture<Void> connected = new CompletableFuture<>();
    socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(new AssertionError("connect_error " + args[0])));
    socket.connect();
    try {
      connected.orTimeout(5, TimeUnit.SECONDS).join();
    } catch (RuntimeException e) {
      socket.close();
      throw e;
    }
    return new RoomClient(socket);
  }

  Socket socket() {
    return socket;
  }

  String id() {
    return socket.id();
  }

  /** A JSON object of alternating keys and values. */
  static JSONObject obj(Object... keysAndValues) {
    try {
      JSONObject object = new JSONObject();
      for (int i = 0; i < keysAndValues.length; i += 2) {
        object.put((String) keysAndValues[i], keysAndValues[i + 1]);
      }
      return object;
    } catch (JSONException e) {
      throw new IllegalArgumentException(e);
    }
  }

  RoomClient join(String room) {
    assertThat(call("room:join", obj("room", room)).optBoolean("ok")).as("joined %s", room).isTrue();
    return this;
  }

  /** Publishes and waits for the server's acknowledgement. */
  void publish(String room, String event, Object data) {
    JSONObject answer = call("room:publish", obj("room", room, "event", event, "data", data));
    assertThat(answer.optBoolean("ok")).as("publish answered %s", answer).isTrue();
  }

  /** Publishes without waiting for the acknowledgement. */
  void publishNoWait(String room, String event, Object data) {
    socket.emit("room:publish", obj("room", room, "event", event, "data", data));
  }

  JSONObject call(String event, Object payload) {
    CompletableFuture<JSONObject> answer = new CompletableFuture<>();
    socket.emit(event, new Object[] {payload}, args -> answer.complete((JSONObject) args[0]));
    return answer.orTimeout(5, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    socket.close();
  }
}
