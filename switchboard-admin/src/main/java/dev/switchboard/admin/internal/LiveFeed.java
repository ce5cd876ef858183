package dev.switchboard.admin.internal;

import dev.switchboard.engineio.Transport;
import dev.switchboard.socketio.Args;
import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.Namespace;
import dev.switchboard.socketio.Socket;
import dev.switchboard.socketio.SocketObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Development mode's per-socket messages to the Admin UI: {@code socket_connected},
 * {@code socket_updated}, {@code socket_disconnected}, {@code room_joined}, {@code room_left},
 * {@code event_received} and {@code event_sent}, each with its time. Registered with the server only
 * while an admin is connected somewhere in the cluster; the admin namespace's own sockets are never told.
 */
public final class LiveFeed implements SocketObserver {
  private final Namespace admin;
  private final ServerStats stats;

  public LiveFeed(Namespace admin, ServerStats stats) {
    this.admin = admin;
    this.stats = stats;
  }

  @Override
  public void connected(Socket socket) {
    if (reported(socket)) {
      send("socket_connected", SocketShapes.of(socket), now());
    }
  }

  @Override
  public void upgraded(Socket socket, Transport transport) {
    if (reported(socket)) {
      send("socket_updated", Map.of("id", socket.id(), "nsp", socket.namespace().name(), "transport", transport.wireName()));
    }
  }

  @Override
  public void joined(Socket socket, String room) {
    if (reported(socket)) {
      send("room_joined", socket.namespace().name(), room, socket.id(), now());
    }
  }

  @Override
  public void left(Socket socket, String room) {
    if (reported(socket)) {
      send("room_left", socket.namespace().name(), room, socket.id(), now());
    }
  }

  @Override
  public void received(Socket socket, String event, Args args) {
    if (reported(socket)) {
      List<Object> all = new ArrayList<>(args.size() + 1);
      all.add(event);
      all.addAll(args.asList());
      send("event_received", socket.namespace().name(), socket.id(), all, now());
    }
  }

  @Override
  public void sent(Socket socket, String event, Object[] args) {
    if (reported(socket)) {
      List<Object> all = new ArrayList<>(args.length + 1);
      all.add(event);
      all.addAll(Arrays.asList(args));
      send("event_sent", socket.namespace().name(), socket.id(), all, now());
    }
  }

  @Override
  public void disconnected(Socket socket, DisconnectReason reason) {
    if (reported(socket)) {
      send("socket_disconnected", socket.namespace().name(), socket.id(), reason.text(), now());
    }
  }

  private boolean reported(Socket socket) {
    return !socket.namespace().name().equals(admin.name());
  }

  private void send(String event, Object... args) {
    stats.ownEmit();
    admin.emit(event, args);
  }

  private static String now() {
    return Instant.now().toString();
  }
}
