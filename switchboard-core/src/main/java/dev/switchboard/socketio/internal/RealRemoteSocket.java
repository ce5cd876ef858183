package dev.switchboard.socketio.internal;

import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.RemoteSocket;
import java.util.Map;
import java.util.Set;

/** A fetched socket that lives on this node: a snapshot backed by the socket itself. */
final class RealRemoteSocket implements RemoteSocket {
  private final RealSocket socket;
  private final Set<String> rooms;

  RealRemoteSocket(RealSocket socket) {
    this.socket = socket;
    this.rooms = socket.rooms();
  }

  @Override
  public String id() {
    return socket.id();
  }

  @Override
  public Handshake handshake() {
    return socket.handshake();
  }

  @Override
  public Set<String> rooms() {
    return rooms;
  }

  @Override
  public Map<String, Object> data() {
    return socket.data();
  }

  @Override
  public void emit(String event, Object... args) {
    socket.emit(event, args);
  }

  @Override
  public void join(String... rooms) {
    socket.join(rooms);
  }

  @Override
  public void leave(String room) {
    socket.leave(room);
  }

  @Override
  public void disconnect(boolean close) {
    socket.disconnect(close);
  }

  @Override
  public String toString() {
    return "RemoteSocket[" + socket.id() + " " + rooms + "]";
  }
}
