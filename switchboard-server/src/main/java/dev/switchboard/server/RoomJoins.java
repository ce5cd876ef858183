package dev.switchboard.server;

import dev.switchboard.socketio.Socket;

/** Told of each socket that entered a room with {@code room:join}, once the join is answered. */
@FunctionalInterface
interface RoomJoins {
  RoomJoins NONE = (socket, room) -> {};

  /** On whichever thread answered the join; must not block. */
  void joined(Socket socket, String room);
}
