package dev.switchboard.server;

import dev.switchboard.auth.SocketAuthentication;
import dev.switchboard.rooms.Rooms;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import java.util.Optional;

/** {@code room:join} and {@code room:leave}: a socket enters and leaves rooms, at most {@link BuiltInEvents#MAX_ROOMS_PER_SOCKET}. */
final class RoomMembership {
  private RoomMembership() {}

  /** Joins the room of open mode: any but the per-user ones. */
  static void join(Socket socket, Event event, RoomJoins joins) {
    Optional<String> named = RoomRequests.room(event);
    if (named.isEmpty()) {
      return;
    }
    String room = named.get();
    Optional<RoomRules.Refusal> refusal = RoomRules.checkJoin(room);
    if (refusal.isPresent()) {
      event.ack(Answers.error(refusal.get().code(), refusal.get().message()));
      return;
    }
    if (!overRoomCap(socket, room, event)) {
      enter(socket, room, event, joins);
    }
  }

  /** Joins {@code room} and answers once broadcasts from every node reach this one: a publish after the answer is never missed. */
  static void enter(Socket socket, String room, Event event, RoomJoins joins) {
    boolean entering = !socket.rooms().contains(room);
    socket.join(room);
    if (entering) {
      joins.joined(socket, room);
    }
    socket.roomReady(room).whenComplete((ready, error) -> event.ack(Answers.ok()));
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

  /** The rooms a socket is in by its own requests: not its own room, nor the user room the server put it in. */
  private static long joinedRooms(Socket socket) {
    Optional<String> userRoom = SocketAuthentication.principal(socket).map(principal -> Rooms.user(principal.subject()));
    return socket.rooms().stream()
        .filter(room -> !room.equals(socket.id()) && userRoom.filter(room::equals).isEmpty())
        .count();
  }

  static void leave(Socket socket, Event event) {
    RoomRequests.room(event).ifPresent(room -> {
      socket.leave(room);
      event.ack(Answers.ok());
    });
  }
}
