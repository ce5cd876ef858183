package dev.switchboard.socketio.internal;

import dev.switchboard.socketio.Handshake;
import dev.switchboard.socketio.RemoteSocket;
import java.util.Map;
import java.util.Set;

/** A fetched socket that lives on another node: a snapshot whose operations address it by its own room. */
record ClusterRemoteSocket(String id, Handshake handshake, Set<String> rooms, Map<String, Object> data, RealNamespace nsp)
    implements RemoteSocket {

  @Override
  public void emit(String event, Object... args) {
    nsp.to(id).emit(event, args);
  }

  @Override
  public void join(String... toJoin) {
    nsp.to(id).socketsJoin(toJoin);
  }

  @Override
  public void leave(String room) {
    nsp.to(id).socketsLeave(room);
  }

  @Override
  public void disconnect(boolean close) {
    nsp.to(id).disconnectSockets(close);
  }

  @Override
  public String toString() {
    return "RemoteSocket[" + id + " " + rooms + " (other node)]";
  }
}
