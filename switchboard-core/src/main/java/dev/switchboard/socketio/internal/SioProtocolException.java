package dev.switchboard.socketio.internal;

/** A message that is not a valid Socket.IO v5 packet. */
public final class SioProtocolException extends RuntimeException {
  public SioProtocolException(String message) {
    super(message, null, false, false);
  }
}
