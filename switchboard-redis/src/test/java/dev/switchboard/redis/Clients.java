package dev.switchboard.redis;

import dev.switchboard.testkit.JavaClients;
import io.socket.client.IO;
import io.socket.client.Socket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;

/** Socket.IO clients (the official Java client) spread over a test's {@link RedisNode}s; all closed at the end. */
final class Clients implements AutoCloseable {
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  /** Connects over WebSocket to the node on {@code port}; {@code name} is sent as the auth payload. */
  Socket connect(int port, String name) {
    IO.Options options = IO.Options.builder()
        .setForceNew(true)
        .setReconnection(false)
        .setTransports(new String[] {"websocket"})
        .setAuth(Map.of("name", name))
        .build();
    Socket socket = IO.socket(URI.create("http://127.0.0.1:" + port), options);
    sockets.add(socket);
    return JavaClients.connectNow(socket);
  }

  /** Joins {@code room} through the node's {@code room:join}; fails unless it answers ok. */
  static void join(Socket socket, String room) throws Exception {
    CompletableFuture<JSONObject> answer = new CompletableFuture<>();
    socket.emit("room:join", new Object[] {new JSONObject().put("room", room)}, args -> answer.complete((JSONObject) args[0]));
    JSONObject reply = answer.orTimeout(5, TimeUnit.SECONDS).join();
    if (!reply.getBoolean("ok")) {
      throw new AssertionError("join " + room + " refused: " + reply);
    }
  }

  @Override
  public void close() {
    sockets.forEach(Socket::close);
  }
}
