package dev.switchboard.redis;

import dev.switchboard.testkit.JavaClients;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.json.JSONObject;

/** Socket.IO clients (the official Java client) spread over a test's {@link RedisNode}s; all closed at the end. */
final class Clients implements AutoCloseable {
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Connects over WebSocket to the node on {@code port}; {@code name} is sent as the auth payload. */
  Socket connect(int port, String name) {
    IO.Options options = JavaClients.options(JavaClients.Mode.WEBSOCKET);
    options.auth = Map.of("name", name);
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
    sockets.add(socket);
    return JavaClients.connectNow(socket);
  }

  /** Joins {@code room} through the node's {@code room:join}; fails unless it answers ok. */
  static void join(Socket socket, String room) throws Exception {
    JSONObject reply = (JSONObject) JavaClients.emitWithAck(socket, Duration.ofSeconds(5), "room:join",
        new JSONObject().put("room", room))[0];
    if (!reply.getBoolean("ok")) {
      throw new AssertionError("join " + room + " refused: " + reply);
    }
  }

  @Override
  public void close() {
    sockets.forEach(Socket::close);
  }
}
