package dev.switchboard.socketio;

/** A failure with a stable code that applications can match on. */
public class SocketIoException extends RuntimeException {
  private final String code;

  public SocketIoException(String code, String message) {
    super(message);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
