package dev.switchboard.server;

import dev.switchboard.rooms.Rooms;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import dev.switchboard.webrtc.JoinResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** {@code room:join} and {@code room:leave}: a socket enters and leaves rooms, at most {@link BuiltInEvents#MAX_ROOMS_PER_SOCKET}. */
final class RoomMembership {
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private RoomMembership() {}

  /** Joins the room of open mode: any but the per-user ones. */
  static CompletableFuture<?> join(Socket socket, Event event, RoomEntry entry) {
    Optional<String> named = RoomRequests.room(event);
    if (named.isEmpty()) {
      return DONE;
    }
    String room = named.get();
    Optional<RoomRules.Refusal> refusal = RoomRules.checkJoin(room);
    if (refusal.isPresent()) {
      event.ack(Answers.error(refusal.get().code(), refusal.get().message()));
      return DONE;
    }
    return overRoomCap(socket, room, event) ? DONE : enter(socket, room, event, entry);
  }

  /**
   * Joins {@code room} through {@code entry} and answers once broadcasts from every node reach this
   * one (a publish after the answer is never missed), or with the call's refusal; completes once
   * the socket is in the room or refused.
   */
  static CompletableFuture<?> enter(Socket socket, String room, Event event, RoomEntry entry) {
    return entry.enter(socket, room).thenAccept(result -> {
      switch (result) {
        case JoinResult.CallFull full -> event.ack(Map.of("ok", false, "error", full.error()));
        case JoinResult.Joined joined -> socket.roomReady(room).whenComplete((ready, error) -> event.ack(Answers.ok()));
      }
    });
  }

  /**
   * True (after answering TOO_MANY_ROOMS) when joining {@code room} would take the socket past
   * {@link BuiltInEvents#MAX_ROOMS_PER_SOCKET} rooms besides its own and its user's.
   */
  static boolean overRoomCap(Socket socket, String room, Event event) {
    if (!socket.rooms().contains(room) && joinedRooms(socket) >= BuiltInEvents.MAX_ROOMS_PER_SOCKET) {
      event.ack(Answers.error("TOO_MANY_ROOMS", "a connection may be in at most " + BuiltInEvents.MAX_ROOMS_PER_SOCKET + " rooms"));
      return true;
    }
    return false;
  }

  /**
   * The rooms a socket is in by its own requests: not its own room, nor the user room the server
   * put it in (the only user room it can be in: clients join no other).
   */
  private static long joinedRooms(Socket socket) {
    return socket.rooms().stream()
        .filter(room -> !room.equals(socket.id()) && !room.startsWith(Rooms.USER_PREFIX))
        .count();
  }

  static void leave(Socket socket, Event event) {
    RoomRequests.room(event).ifPresent(room -> {
      socket.leave(room);
      event.ack(Answers.ok());
    });
  }
}
