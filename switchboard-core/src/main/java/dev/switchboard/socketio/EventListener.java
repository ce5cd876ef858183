package dev.switchboard.socketio;

/** Handles one event; runs on the socket's event loop, so it must not block. */
@FunctionalInterface
public interface EventListener {
  void onEvent(Event event);
}
