package dev.switchboard.server.cluster;

import io.socket.client.IO;
import io.socket.client.Manager;
import io.socket.client.Socket;
import io.socket.parser.Packet;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.json.JSONObject;

/**
 * The official Java client, which does not recover connection state itself, doing what the Node
 * client does: it keeps the private id of its session ({@code pid} of the CONNECT packet) and the
 * offset of the last {@code chat} event, and comes back with both in its {@code auth}.
 */
final class RecoveringClient implements AutoCloseable {
  private final Socket socket;
  private final BlockingQueue<Object> chats = new LinkedBlockingQueue<>();
  private volatile String pid;
  private volatile String offset;

  private RecoveringClient(Socket socket) {
    this.socket = socket;
  }

  /** Connects over WebSocket to the node on {@code port}, authenticated with {@code auth}. */
  static RecoveringClient connect(int port, Map<String, String> auth) {
    IO.Options options = IO.Options.builder()
        .setForceNew(true)
        .setReconnection(false)
        .setTransports(new String[] {"websocket"})
        .setAuth(auth)
        .build();
    RecoveringClient client = new RecoveringClient(IO.socket(URI.create("http://127.0.0.1:" + port), options));
    client.socket.io().on(Manager.EVENT_PACKET, args -> {
      if (args[0] instanceof Packet<?> packet && packet.type == io.socket.parser.Parser.CONNECT
          && packet.data instanceof JSONObject data && data.has("pid")) {
        client.pid = data.optString("pid");
      }
    });
    client.socket.on("chat", args -> {
      client.offset = (String) args[args.length - 1];
      client.chats.add(args[0]);
    });
    CompletableFuture<Void> connected = new CompletableFuture<>();
    client.socket.once(Socket.EVENT_CONNECT, args -> connected.complete(null));
    client.socket.once(Socket.EVENT_CONNECT_ERROR, args -> connected.completeExceptionally(
        new AssertionError("connect_error: " + (args.length > 0 ? args[0] : ""))));
    client.socket.connect();
    connected.orTimeout(10, TimeUnit.SECONDS).join();
    return client;
  }

  Socket socket() {
    return socket;
  }

  String id() {
    return socket.id();
  }

  String pid() {
    return pid;
  }

  /** The offset of the last {@code chat} event received. */
  String offset() {
    return offset;
  }

  /** The first argument of the next {@code chat} event; fails after 10 s without one. */
  Object next() throws InterruptedException {
    Object chat = chats.poll(10, TimeUnit.SECONDS);
    if (chat == null) {
      throw new AssertionError("no chat event within 10 s");
    }
    return chat;
  }

  @Override
  public void close() {
    socket.close();
  }
}
