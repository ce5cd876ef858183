package dev.switchboard.socketio;

import java.util.List;

/** An acknowledgement did not arrive in time. For broadcasts, holds the answers that did. */
public final class AckTimeoutException extends SocketIoException {
  private final List<Args> received;

  public AckTimeoutException(String message, List<Args> received) {
    super("ACK_TIMEOUT", message);
    this.received = List.copyOf(received);
  }

  /** The acknowledgements received before the timeout (broadcasts only). */
  public List<Args> received() {
    return received;
  }
}
