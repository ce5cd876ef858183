package dev.switchboard.server;

import dev.switchboard.socketio.Socket;

/** Told of each socket that entered a room with {@code room:join}, as it enters. */
@FunctionalInterface
interface RoomJoins {
  RoomJoins NONE = (socket, room) -> {};

  /** On the socket's event loop; must not block. */
  void joined(Socket socket, String room);
}
