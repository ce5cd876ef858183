package dev.switchboard.socketio;

/** Told when a socket is about to leave ({@code disconnecting}, rooms still joined) or has left. */
@FunctionalInterface
public interface DisconnectListener {
  void onDisconnect(DisconnectReason reason, String description);
}
