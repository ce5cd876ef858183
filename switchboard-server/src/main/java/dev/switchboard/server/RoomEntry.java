package dev.switchboard.server;

import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.JoinResult;
import dev.switchboard.webrtc.WebRtcSignaling;
import java.util.concurrent.CompletableFuture;

/**
 * How an allowed {@code room:join} puts its socket in the room: at once, or through
 * {@link WebRtcSignaling#join}, which keeps call rooms within the mesh limit.
 */
@FunctionalInterface
interface RoomEntry {
  /** Joins at once. */
  RoomEntry DIRECT = (socket, room) -> {
    socket.join(room);
    return CompletableFuture.completedFuture(new JoinResult.Joined(room));
  };

  CompletableFuture<JoinResult> enter(Socket socket, String room);
}
