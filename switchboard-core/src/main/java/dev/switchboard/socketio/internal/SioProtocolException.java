package dev.switchboard.socketio.internal;

import dev.switchboard.http.internal.PayloadException;

/** A message that is not a valid Socket.IO v5 packet. */
public final class SioProtocolException extends PayloadException {
  public SioProtocolException(String message) {
    super(message);
  }
}
