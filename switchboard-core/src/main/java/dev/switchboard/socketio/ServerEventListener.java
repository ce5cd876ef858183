package dev.switchboard.socketio;

/** Handles an event from another node; runs on a thread that carries cluster messages, so it must not block. */
@FunctionalInterface
public interface ServerEventListener {
  void onServerEvent(ServerEvent event);
}
