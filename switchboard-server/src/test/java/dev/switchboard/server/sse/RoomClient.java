package dev.switchboard.server.sse;

import dev.switchboard.server.StandaloneClients;
import dev.switchboard.testkit.JavaClients;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import org.json.JSONException;
import org.json.JSONObject;

/** A Socket.IO client (the official Java one) using the standalone server's built-in room events. */
final class RoomClient implements AutoCloseable {
  private final Socket socket;

  private RoomClient(Socket socket) {
    this.socket = socket;
  }

  static RoomClient connect(int port) {
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), JavaClients.options(JavaClients.Mode.WEBSOCKET));
    try {
      return new RoomClient(JavaClients.connectNow(socket));
    } catch (RuntimeException | AssertionError e) {
      socket.close();
      throw e;
    }
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
    StandaloneClients.join(socket, room);
    return this;
  }

  /** Publishes and waits for the server's acknowledgement. */
  void publish(String room, String event, Object data) {
    StandaloneClients.assertPublished(socket, StandaloneClients.publication(room, event, data));
  }

  /** Publishes without waiting for the acknowledgement. */
  void publishNoWait(String room, String event, Object data) {
    socket.emit("room:publish", StandaloneClients.publication(room, event, data));
  }

  JSONObject call(String event, Object payload) {
    return StandaloneClients.call(socket, event, payload);
  }

  @Override
  public void close() {
    socket.close();
  }
}
