package dev.switchboard.socketio;

import java.util.Map;
import java.util.Set;

/**
 * A socket found by {@code fetchSockets()}: a snapshot of its id, handshake, rooms and data,
 * with the operations that work wherever the socket lives.
 */
public interface RemoteSocket {
  String id();

  Handshake handshake();

  Set<String> rooms();

  Map<String, Object> data();

  void emit(String event, Object... args);

  void join(String... rooms);

  void leave(String room);

  void disconnect(boolean close);
}
