package dev.switchboard.spring.handler;

import dev.switchboard.socketio.DisconnectReason;
import dev.switchboard.socketio.Event;
import dev.switchboard.socketio.Socket;
import java.util.Optional;

/**
 * What a handler is called with: the socket, and the event or the reason of the disconnection.
 *
 * @param socket the socket
 * @param event the event, for {@link OnEvent} handlers
 * @param reason why the socket disconnected, for {@link OnDisconnect} handlers
 */
record HandlerCall(Socket socket, Optional<Event> event, Optional<DisconnectReason> reason) {
  static HandlerCall connect(Socket socket) {
    return new HandlerCall(socket, Optional.empty(), Optional.empty());
  }

  static HandlerCall event(Event event) {
    return new HandlerCall(event.socket(), Optional.of(event), Optional.empty());
  }

  static HandlerCall disconnect(Socket socket, DisconnectReason reason) {
    return new HandlerCall(socket, Optional.empty(), Optional.of(reason));
  }
}
